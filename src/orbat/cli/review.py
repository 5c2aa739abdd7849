"""`orbat review`: accept, reject or correct one claim from the command line.

The same library call as `POST /api/claims/{id}/reviews` (`orbat.reviews.add_review`), so a
correction out of bounds (`quantity_min=1e30`, `date=banana`, markup as an event) is the same
refusal here: one line on stderr, exit 2, nothing stored.
"""

from __future__ import annotations

import json
import os

import click

from orbat.cli import main
from orbat.cli.knowledge import db_option, open_db

NUMBERS = ("quantity_min", "quantity_max")


def parse_fields(values: tuple[str, ...]) -> dict[str, object]:
    """`FIELD=VALUE` pairs to review fields; counts are whole numbers, `null` clears a value."""
    from orbat.errors import InvalidValue

    fields: dict[str, object] = {}
    for pair in values:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidValue(f"--set {pair!r}: use FIELD=VALUE, e.g. --set quantity_min=5")
        name = name.strip()
        if value.strip().lower() == "null":
            fields[name] = None
        elif name in NUMBERS:
            try:
                fields[name] = int(value.strip())
            except ValueError:
                raise InvalidValue(f"{name} {value!r} is not a whole number") from None
        else:
            fields[name] = value
    return fields


@main.command("review")
@click.argument("claim_id")
@click.argument("action", type=click.Choice(["accept", "reject", "correct"]))
@click.option("--set", "values", multiple=True, metavar="FIELD=VALUE",
              help="A corrected value (with `correct`): event, certainty, date, attributed_to, "
                   "quantity_min, quantity_max; repeat for several.")
@click.option("--comment", help="Why (kept with the review).")
@click.option("--reviewer", default=lambda: os.environ.get("USER") or "cli", show_default="$USER",
              help="Name the review is stored under.")
@db_option
def review_command(claim_id: str, action: str, values: tuple[str, ...], comment: str | None, reviewer: str,
                   db: str) -> None:
    """Append a review of CLAIM_ID (accept, reject or correct) and merge observations again."""
    from dataclasses import asdict

    from orbat.reviews import add_review

    fields = parse_fields(values)
    with open_db(db) as store:
        review = add_review(store, claim_id, action, fields, comment, reviewer)
    click.echo(json.dumps(asdict(review), ensure_ascii=False))

"""`orbat serve` (the HTTP API and analyst page) and `orbat token create`.

Why the refusal: a server listening beyond this machine with no token configured would let
anyone on the network read everything, so `--host` other than loopback needs a token in the
database, or `--insecure` to say the exposure is meant (RELIABILITY row 33).
"""

from __future__ import annotations

from pathlib import Path

import click

from orbat.cli import main
from orbat.cli.knowledge import db_option, open_db


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; beyond loopback only with a token configured or --insecure.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Another host name clients may use to reach the server (repeatable); "
                   "others get 421.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--insecure", is_flag=True,
              help="Allow listening beyond loopback with no token, and anonymous reads from anywhere.")
@click.option("--static-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Serve this folder at / instead of the bundled page.")
def serve_command(db: str, host: str, allow_hosts: tuple[str, ...], port: int, insecure: bool,
                  static_dir: Path | None) -> None:
    """Serve the HTTP API (/api, /docs) and the analyst page over the database."""
    from orbat.errors import UserError
    from orbat.serve.auth import is_loopback
    from orbat.tokens import has_tokens

    local = is_loopback(host)
    with open_db(db) as store:
        configured = has_tokens(store)
    if not local and not configured and not insecure:
        raise UserError(f"refusing to listen on {host} with no API token configured: run "
                        "`orbat token create --role analyst` first, or pass --insecure")
    import logging

    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")  # orbat.serve's request lines

    from orbat.serve.app import create_app

    app = create_app(db, static_dir=static_dir, allow_anonymous_read=local or insecure,
                     hosts=(host, *allow_hosts))
    click.echo(f"orbat: serving {db} on http://{host}:{port}/ (API docs at /docs)", err=True)
    # uvicorn's access log prints query strings; the app logs method, path and status itself
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")


@main.group("token")
def token_group() -> None:
    """API tokens for `orbat serve`."""


@token_group.command("create")
@click.option("--role", type=click.Choice(["viewer", "analyst", "admin"]), default="analyst", show_default=True,
              help="viewer reads; analyst also adds documents and reviews; admin may do everything.")
@click.option("--label", help="Name shown on this token's reviews (default: role-N).")
@click.option("--expires-in", "expires_in", type=click.FloatRange(min=0, min_open=True), metavar="DAYS",
              help="The token stops working after this many days (default: never).")
@db_option
def token_create_command(role: str, label: str | None, expires_in: float | None, db: str) -> None:
    """Create a token; it is printed once and only its SHA-256 hash is stored."""
    from orbat.tokens import create_token

    with open_db(db, create=True) as store:
        plain, token = create_token(store, role, label, expires_in)
    click.echo(plain)
    click.echo(f"orbat: token {token.id} ({token.role}, label {token.label}) created; it is shown only "
               "this once: send it as `Authorization: Bearer <token>`", err=True)

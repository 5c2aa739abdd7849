"""The `orbat` command: parse input, call one library function, format the result.

Heavy modules are imported inside each command so `orbat extract` starts fast.
"""

from __future__ import annotations

import sys

import click

from orbat import __version__


class OrbatGroup(click.Group):
    """Turns any `UserError` into one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        from orbat.errors import UserError

        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"orbat: {exc}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=OrbatGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orbat")
def main() -> None:
    """orbat: evidence-linked, geocoded order-of-battle records from open sources."""


def _register() -> None:
    from orbat.cli import (  # noqa: F401  (commands attach to `main`)
        batch,
        brief,
        catalog,
        exports,
        extract,
        knowledge,
        review,
        serve,
    )


_register()

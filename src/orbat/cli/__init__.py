"""The `orbat` command: parse input, call one library function, format the result.

Heavy modules are imported inside each command so `orbat extract` starts fast.
"""

from __future__ import annotations

import errno
import os
import sys

import click

# spaCy multiplies small matrices here (a few dozen sentences at a time): OpenBLAS's extra threads
# save nothing on them and, on a busy machine, spin for a core (the 600 KB dense slice took ~10%
# more CPU with two threads, for the same output). Set before numpy loads; the user's value wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from orbat import __version__

#: The disk refused a write: full, over quota, over the file size limit, read-only.
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


#: Commands after which the process ends without tearing the interpreter down (`_exit_now`).
QUICK_EXIT_COMMANDS = frozenset({"extract", "batch load"})
#: `ctx.meta` key under which a command group records "group subcommand" (`OrbatGroup.invoked`).
INVOKED_META = "orbat.invoked"


class OrbatGroup(click.Group):
    """Turns any `UserError` (and a full disk) into one line on stderr and exit status 1, never a traceback."""

    invoked: str | None = None  # the subcommand this process ran ("batch load" for a group's)

    def __call__(self, *args, **kwargs):
        """The `orbat` program itself (the console script, `python -m orbat`); tests call `main.main`."""
        try:
            return super().__call__(*args, **kwargs)
        except SystemExit as done:
            if self.invoked in QUICK_EXIT_COMMANDS:
                _exit_now(done.code)
            raise

    def invoke(self, ctx: click.Context):
        from orbat.errors import UserError

        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"orbat: {exc}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except OSError as exc:
            if exc.errno not in DISK_ERRORS:
                raise
            click.echo(f"orbat: {exc.strerror} ({exc.filename or 'output'}); stopped, nothing half-written", err=True)
            sys.exit(1)
        except Exception as exc:
            if not _database_disk_error(exc):
                raise
            click.echo("orbat: the database could not be written (disk full or I/O error); the transaction was "
                       "rolled back and nothing already stored was lost", err=True)
            sys.exit(1)
        finally:
            self.invoked = ctx.meta.get(INVOKED_META, ctx.invoked_subcommand)


def _exit_now(code: object) -> None:
    """End the process at once, skipping the interpreter's teardown, when that is safe.

    Tearing down frees every object one by one: after `orbat extract` has loaded spaCy's
    pipeline and the catalog lexicon, that took ~0.2 s of CPU, a fifth of the whole command
    (after `orbat batch load`, ~0.1 s: its Arrow, SQLAlchemy and psycopg objects).
    What a normal exit does that matters is still done: the exit handlers run (temporary
    directories, logging, any `atexit` function) and stdout and stderr are flushed. A command in
    QUICK_EXIT_COMMANDS writes nothing else at exit (its caches are complete, atomically renamed
    files before it returns). Anything unusual (another thread still running, an exit message
    instead of a status, a flush that fails, a Python without the handler runner) returns, and
    the process exits the ordinary way.
    """
    import atexit
    import threading

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if code is None:
        code = 0
    if not isinstance(code, int) or run_exit_handlers is None or threading.active_count() != 1:
        return
    try:
        run_exit_handlers()
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # as the ordinary exit would report it
        return
    os._exit(code & 0xFF)


def _database_disk_error(exc: Exception) -> bool:
    """SQLite's (or PostgreSQL's) way of saying the disk refused a write."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, errors.OperationalError | errors.DBAPIError):
        return False
    text = str(exc.orig if getattr(exc, "orig", None) else exc).lower()
    return any(s in text for s in ("disk is full", "disk i/o error", "no space left", "could not extend file"))


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

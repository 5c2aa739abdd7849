"""Alembic environment for the orbat knowledge base.

orbat runs its migrations itself when a store is opened (`orbat.store.migrate`), handing the
connection over in `config.attributes["connection"]`, so users never need an alembic.ini. An
Engine handed over there instead (what pytest-alembic's `alembic_runner` passes, in the tests)
runs each command in a transaction of its own.
A developer can still point the alembic command at a database by setting `sqlalchemy.url`
(for `alembic revision --autogenerate` against a scratch database).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from orbat.store.migrate import include_name
from orbat.store.schema import metadata

config = context.config


def run_with(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Engine):
        with connection.begin() as conn:
            run_with(conn)
        return
    if connection is not None:
        run_with(connection)
        return
    from orbat.store.database import create_engine_for

    engine = create_engine_for(config.get_main_option("sqlalchemy.url") or "orbat.db")
    try:
        with engine.begin() as conn:
            run_with(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("orbat migrations run online only (open the store, or set sqlalchemy.url)")
run()

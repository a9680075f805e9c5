"""Alembic environment: migrations run on the connection ``dexa.store.connect`` hands over."""

from __future__ import annotations

from alembic import context

from dexa.store import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` command line: build an engine from the configured URL
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()

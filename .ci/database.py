"""Create or drop a PostgreSQL database for one CI run: database.py create|drop NAME."""

import sys

import psycopg
from psycopg import sql

action, name = sys.argv[1], sys.argv[2]
with psycopg.connect(
    "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
) as connection:
    if action == "create":
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(f"test_{name}")
            )
        )

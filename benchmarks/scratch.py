"""What the benchmarks share: a scratch database beside the app's, Django set up on it, and the
sync's write path fed a synthetic corpus, so a benchmark never touches real data."""

import os
import urllib.parse
from itertools import islice

import psycopg2

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/trialfinder"  # as trialfinder.settings


class ScratchDatabase:
    """The database `name` on the server that DATABASE_URL names."""

    def __init__(self, name: str):
        self.name = name
        self.server = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", DEFAULT_SERVER_URL))

    @property
    def url(self) -> str:
        return self.server._replace(path=f"/{self.name}").geturl()

    def create(self, fresh: bool) -> None:
        """Makes the database; `fresh` drops one left by an earlier run first, else it is reused."""
        if fresh:
            self.drop()
        if not self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'"):
            self._admin(f"CREATE DATABASE {self.name}")

    def drop(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def _admin(self, statement: str):
        admin = psycopg2.connect(self.server._replace(path="/postgres").geturl())
        admin.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
        try:
            with admin.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else None
        finally:
            admin.close()


def setup_django(database: ScratchDatabase, **environ: str) -> None:
    """Django on `database`, with its tables made, and `environ` set first."""
    os.environ["DATABASE_URL"] = database.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trialfinder.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # rejected records would be logged one by one
    os.environ.update(environ)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE trials_study, trials_site CASCADE")
    refresh_statistics()


def refresh_statistics() -> None:
    """Fresh statistics and visibility maps, as autovacuum keeps them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE trials_study")
        cursor.execute("VACUUM ANALYZE trials_site")


def store(records):
    """`records` through the sync's write path, in pages as the API serves them."""
    from trials.ctgov import PAGE_SIZE
    from trials.ingest import upsert_pages

    return upsert_pages(iter(lambda: list(islice(records, PAGE_SIZE)), []))

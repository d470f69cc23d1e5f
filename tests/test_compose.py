"""docker-compose.yml runs the same app as `make run`. No Docker engine runs in CI, so these read the
file and check what `docker compose up` would rely on."""

from pathlib import Path

import pytest
import yaml

REPO_DIR = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPO_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def command(service) -> str:
    value = service["command"]
    return value if isinstance(value, str) else " ".join(value)


def healthcheck(service) -> str:
    return " ".join(service["healthcheck"]["test"])


def test_compose_runs_the_databases_and_every_app_process(services):
    assert set(services) == {"postgres", "redis", *APP_SERVICES}


def test_postgres_keeps_its_data_in_a_named_volume_and_reports_readiness(compose, services):
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:16"
    assert "pg_isready" in healthcheck(postgres)
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_redis_keeps_queued_tasks_in_a_named_volume_and_answers_pings(compose, services):
    redis = services["redis"]
    assert redis["image"] == "redis:7"
    assert "--appendonly yes" in command(redis)
    assert healthcheck(redis) == "CMD redis-cli ping"
    assert redis["volumes"][0].split(":")[0] in compose["volumes"]


def test_migrate_prepares_the_database_once_both_servers_are_healthy(services):
    migrate = services["migrate"]
    assert "manage.py migrate --noinput && python manage.py bootstrap" in command(migrate)
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_processes_start_after_migrate_has_finished(services, name):
    assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_web_serves_gunicorn_on_port_8000_and_is_probed_at_healthz(services):
    web = services["web"]
    assert command(web).startswith("gunicorn trialfinder.wsgi --preload --bind 0.0.0.0:8000")
    assert web["ports"] == ["${WEB_PORT:-8000}:8000"]
    assert "http://localhost:8000/healthz/" in healthcheck(web)


def test_worker_runs_celery_and_is_probed_with_a_ping(services):
    worker = services["worker"]
    assert command(worker) == "celery -A trialfinder worker -l info --concurrency 2"
    assert "celery -A trialfinder inspect ping -d celery@$$HOSTNAME" in healthcheck(worker)


def test_beat_runs_the_celery_schedule(services):
    assert command(services["beat"]).startswith("celery -A trialfinder beat -l info")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_production_settings_against_the_compose_servers(services, name):
    env = services[name]["environment"]
    assert services[name]["build"] == "."
    assert env["DJANGO_DEBUG"] == "false"
    password = services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert env["DATABASE_URL"] == f"postgres://trialfinder:{password}@postgres:5432/trialfinder"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    # ${VAR:?message} makes compose refuse to start without a secret key.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    # The health check calls http://localhost, whatever public host names are configured.
    assert env["ALLOWED_HOSTS"].startswith("localhost,")


def test_dockerfile_installs_the_runtime_requirements_only():
    dockerfile = (REPO_DIR / "Dockerfile").read_text()
    assert "COPY requirements.txt" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "requirements-dev.txt" not in dockerfile
    assert "collectstatic" in dockerfile

"""Settings come from the environment: production ones pass Django's deploy checks, bad ones fail loudly."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from trialfinder.env import env_bool, env_float, env_int, env_list, env_str

REPO_DIR = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    """Run manage.py in a fresh interpreter, since settings are read once at start-up, with only
    the given variables set (the test run's own, such as DJANGO_ALLOW_ASYNC_UNSAFE, stay out)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="trials.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable." in result.stderr


def test_production_with_the_public_development_key_refuses_to_start():
    from trialfinder.settings import _DEV_SECRET

    result = manage("check", DJANGO_DEBUG="false", SECRET_KEY=_DEV_SECRET)
    assert result.returncode != 0
    assert "the development key is public" in result.stderr


def test_development_needs_no_secret_key():
    result = manage("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), (" Yes ", True), ("1", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("TF_FLAG", raw)
    assert env_bool("TF_FLAG", not expected) is expected


def test_env_bool_names_the_variable_it_cannot_read(monkeypatch):
    monkeypatch.setenv("TF_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="TF_FLAG must be true or false, not 'maybe'"):
        env_bool("TF_FLAG", False)


def test_env_int_names_the_variable_it_cannot_read(monkeypatch):
    monkeypatch.setenv("TF_COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="TF_COUNT must be a whole number, not 'ten'"):
        env_int("TF_COUNT", 3)


def test_env_float_names_the_variable_it_cannot_read(monkeypatch):
    monkeypatch.setenv("TF_SECONDS", "soon")
    with pytest.raises(ImproperlyConfigured, match="TF_SECONDS must be a number, not 'soon'"):
        env_float("TF_SECONDS", 1.0)


def test_env_float_reads_a_number(monkeypatch):
    monkeypatch.setenv("TF_SECONDS", "0.25")
    assert env_float("TF_SECONDS", 1.0) == 0.25


def test_env_helpers_fall_back_to_their_defaults_when_unset(monkeypatch):
    for name in ("TF_FLAG", "TF_COUNT", "TF_HOSTS", "TF_NAME"):
        monkeypatch.delenv(name, raising=False)
    assert env_bool("TF_FLAG", True) is True
    assert env_int("TF_COUNT", 3) == 3
    assert env_list("TF_HOSTS", ["localhost"]) == ["localhost"]
    assert env_str("TF_NAME", "fallback") == "fallback"


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("TF_COUNT", "42")
    assert env_int("TF_COUNT", 3) == 42


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("TF_HOSTS", " a.example.org, ,b.example.org,")
    assert env_list("TF_HOSTS", []) == ["a.example.org", "b.example.org"]


def test_env_str_without_a_default_demands_the_variable(monkeypatch):
    monkeypatch.delenv("TF_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the TF_NAME environment variable."):
        env_str("TF_NAME")


def test_readme_documents_every_setting_read_from_the_environment():
    settings_source = (REPO_DIR / "trialfinder" / "settings.py").read_text()
    names = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', settings_source))
    readme = (REPO_DIR / "README.md").read_text()
    assert len(names) > 10
    assert {name for name in names if f"| `{name}` |" not in readme} == set()

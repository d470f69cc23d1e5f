"""/healthz/ tells docker-compose and load balancers whether the app can reach its database."""

import socket

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with socket.socket() as probe:  # a port nothing listens on once the probe lets it go
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port)
    try:
        response = client.get("/healthz/")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.content == b"database unavailable"


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https_so_probes_can_use_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_refuses_writes(client):
    assert client.post("/healthz/").status_code == 405

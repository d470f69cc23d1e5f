import json

import psycopg2
import pytest
from django.db import connection
import responses
from responses import matchers

from trials.ctgov import CtgovClient

API = "https://ctgov.test/api/v2"


class FakeRegistry:
    """Replays ClinicalTrials.gov at the HTTP boundary: /version and chained /studies pages."""

    url = API

    def __init__(self, mock: responses.RequestsMock, version: dict):
        self.mock = mock
        self.version = version

    def serve(self, pages: list[list[dict]], *, data_timestamp: str | None = None, failing_page: int | None = None):
        """From now on answer /version, then `pages` in order; page `failing_page` (1-based) answers 503."""
        for registered in self.mock.registered():
            self.mock.remove(registered)
        self.mock.get(f"{API}/version", json={**self.version, **({"dataTimestamp": data_timestamp} if data_timestamp else {})})
        for number, studies in enumerate(pages, start=1):
            if number == 1:
                match = [lambda request: ("pageToken" not in request.url, "the first page has no token")]
            else:
                match = [matchers.query_param_matcher({"pageToken": f"token-{number}"}, strict_match=False)]
            if number == failing_page:
                self.mock.get(f"{API}/studies", body="Service Unavailable", status=503, match=match)
                continue
            body = {"studies": studies}
            if number < len(pages):
                body["nextPageToken"] = f"token-{number + 1}"
            self.mock.get(f"{API}/studies", json=body, match=match)

    def study_requests(self):
        return [call.request for call in self.mock.calls if call.request.path_url.startswith("/api/v2/studies")]


@pytest.fixture
def registry(shared_dir):
    version = json.loads((shared_dir / "envelopes" / "version-response-2026-09-06.json").read_text())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeRegistry(mock, version)


@pytest.fixture
def client():
    """A client for the fake registry that never sleeps."""
    with CtgovClient(API, max_retries=2, min_interval=0, sleep=lambda seconds: None) as client:
        yield client


@pytest.fixture
def dev_records(shared_dir):
    """The 58 real ALS and cell-therapy records, sorted by NCT id."""
    return [json.loads(path.read_text()) for path in sorted((shared_dir / "dev").glob("NCT*.json"))]


@pytest.fixture
def another_session():
    """A cursor on a second database session, as another worker would have (autocommit)."""
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    other.autocommit = True
    yield other.cursor()
    other.close()

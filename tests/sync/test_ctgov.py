"""The API client against replayed responses built from genuine ClinicalTrials.gov output."""

import datetime
import email.utils
import json

import pytest
import requests
import responses
from responses import matchers

from trials.ctgov import (
    PAGE_SIZE,
    RETRY_AFTER_CAP_SECONDS,
    USER_AGENT,
    CtgovBadResponse,
    CtgovClient,
    CtgovRejected,
    CtgovUnavailable,
)

API = "https://ctgov.test/api/v2"
STUDIES = f"{API}/studies"
MAINTENANCE_PAGE = "<!DOCTYPE html><html><body><h1>ClinicalTrials.gov is under maintenance</h1></body></html>"


class FakeTime:
    """A monotonic clock that only moves when the client sleeps, so tests never wait."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def client(fake_time):
    with CtgovClient(API, max_retries=3, min_interval=1.0, sleep=fake_time.sleep, clock=fake_time.clock) as client:
        yield client


@pytest.fixture
def envelope(shared_dir):
    def read(name):
        return json.loads((shared_dir / "envelopes" / name).read_text())

    return read


def page_of(studies, token=None):
    return {"studies": studies, **({"nextPageToken": token} if token else {})}


@responses.activate
def test_pages_are_followed_by_their_tokens_until_the_last(client, envelope):
    first, second = envelope("biomcp-search_phelan_limit5_20260811.json"), envelope("biomcp-search_phelan_next_20260811.json")
    last = page_of(envelope("forecaster-sample-page.json")["studies"][:2])
    query = {"query.cond": "Phelan-McDermid Syndrome", "format": "json", "pageSize": str(PAGE_SIZE)}
    responses.get(STUDIES, json=first, match=[matchers.query_param_matcher(query)])
    responses.get(STUDIES, json=second, match=[matchers.query_param_matcher({**query, "pageToken": first["nextPageToken"]})])
    responses.get(STUDIES, json=last, match=[matchers.query_param_matcher({**query, "pageToken": second["nextPageToken"]})])

    pages = list(client.iter_pages({"query.cond": "Phelan-McDermid Syndrome"}))

    assert pages == [first["studies"], second["studies"], last["studies"]]
    assert [len(page) for page in pages] == [5, 5, 2]


@responses.activate
def test_requests_name_the_app_and_set_connect_and_read_timeouts(client, envelope):
    responses.get(f"{API}/version", json=envelope("version-response-2026-09-06.json"))

    client.version()

    request = responses.calls[0].request
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("TrialFinder/")
    assert request.req_kwargs["timeout"] == (10, 30)


@responses.activate
def test_version_gives_the_api_version_and_the_data_load_time_in_utc(client, envelope):
    responses.get(f"{API}/version", json=envelope("version-response-2026-09-06.json"))

    version = client.version()

    assert version.api_version == "2.0.5"
    assert version.data_timestamp == datetime.datetime(2026, 9, 4, 9, 0, 6, tzinfo=datetime.UTC)


@responses.activate
@pytest.mark.parametrize("body", [{"apiVersion": "2.0.5"}, {"apiVersion": 2, "dataTimestamp": "2026-09-04T09:00:06"}, {"apiVersion": "2.0.5", "dataTimestamp": "yesterday"}])
def test_a_version_answer_without_its_fields_is_a_bad_response(client, body):
    responses.get(f"{API}/version", json=body)

    with pytest.raises(CtgovBadResponse, match="/version"):
        client.version()


@responses.activate
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_after_exponentially_longer_waits(envelope, fake_time, monkeypatch, status):
    studies = envelope("forecaster-sample-page.json")["studies"]
    for _ in range(3):
        responses.get(STUDIES, body="Service Unavailable", status=status, content_type="text/plain")
    responses.get(STUDIES, json=page_of(studies))
    jitter_bounds = []
    monkeypatch.setattr("random.uniform", lambda low, high: jitter_bounds.append((low, high)) or high)
    client = CtgovClient(API, max_retries=3, min_interval=0, sleep=fake_time.sleep, clock=fake_time.clock)

    assert list(client.iter_pages({})) == [studies]

    assert jitter_bounds == [(0, 1.0), (0, 2.0), (0, 4.0)]  # full jitter: anywhere up to 2**n seconds
    assert fake_time.sleeps == [1.0, 2.0, 4.0]


@responses.activate
def test_a_429_waits_as_long_as_retry_after_says(client, envelope, fake_time):
    responses.get(STUDIES, body="Too Many Requests", status=429, headers={"Retry-After": "7"})
    responses.get(STUDIES, json=page_of(envelope("forecaster-sample-page.json")["studies"]))

    list(client.iter_pages({}))

    assert 7 in fake_time.sleeps


@responses.activate
def test_retry_after_as_an_http_date_is_honoured_and_capped(client, envelope, fake_time):
    far = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)
    responses.get(STUDIES, status=503, headers={"Retry-After": email.utils.format_datetime(far, usegmt=True)})
    responses.get(STUDIES, json=page_of([]))

    list(client.iter_pages({}))

    assert RETRY_AFTER_CAP_SECONDS in fake_time.sleeps


@responses.activate
def test_an_html_maintenance_page_with_200_is_retried(client, envelope):
    studies = envelope("forecaster-sample-page.json")["studies"]
    responses.get(STUDIES, body=MAINTENANCE_PAGE, status=200, content_type="text/html")
    responses.get(STUDIES, json=page_of(studies))

    assert list(client.iter_pages({})) == [studies]


@responses.activate
def test_connection_errors_and_timeouts_are_retried(client, envelope):
    studies = envelope("forecaster-sample-page.json")["studies"]
    responses.get(STUDIES, body=requests.ConnectionError("connection reset by peer"))
    responses.get(STUDIES, body=requests.ReadTimeout("read timed out"))
    responses.get(STUDIES, json=page_of(studies))

    assert list(client.iter_pages({})) == [studies]


@responses.activate
def test_the_client_gives_up_after_its_retries_and_says_why(client):
    responses.get(STUDIES, body=MAINTENANCE_PAGE, status=200, content_type="text/html")

    with pytest.raises(CtgovUnavailable, match=r"after 4 attempts: HTTP 200 but the body is not JSON \(text/html\)"):
        list(client.iter_pages({}))
    assert len(responses.calls) == 4


@responses.activate
@pytest.mark.parametrize("status", [400, 404])
def test_a_rejected_request_is_not_retried_and_carries_the_plain_text_body(client, status):
    body = "Invalid value in parameter `overallStatus`: `RECRUTING`"
    responses.get(STUDIES, body=body, status=status, content_type="text/plain")

    with pytest.raises(CtgovRejected) as raised:
        list(client.iter_pages({"filter.overallStatus": "RECRUTING"}))

    assert (raised.value.status, raised.value.body) == (status, body)
    assert body in str(raised.value)
    assert len(responses.calls) == 1


@responses.activate
def test_a_rejected_page_token_starts_the_query_again_from_page_one(client, envelope):
    first, second = envelope("biomcp-search_phelan_limit5_20260811.json"), envelope("biomcp-search_phelan_next_20260811.json")
    token_matcher = matchers.query_param_matcher({"pageToken": first["nextPageToken"]}, strict_match=False)
    no_token = matchers.query_string_matcher("query.cond=Phelan&format=json&pageSize=1000")
    responses.get(STUDIES, json=first, match=[no_token])
    responses.get(STUDIES, body="Invalid page token", status=400, match=[token_matcher])
    responses.get(STUDIES, json=first, match=[no_token])
    responses.get(STUDIES, json=page_of(second["studies"]), match=[token_matcher])

    pages = list(client.iter_pages({"query.cond": "Phelan"}))

    assert pages == [first["studies"], first["studies"], second["studies"]]


@responses.activate
def test_a_bad_request_on_the_first_page_is_not_mistaken_for_a_stale_token(client):
    responses.get(STUDIES, body="Parameter pageToken is not allowed here", status=400)

    with pytest.raises(CtgovRejected):
        list(client.iter_pages({}))
    assert len(responses.calls) == 1


@responses.activate
def test_requests_are_paced_at_least_the_minimum_interval_apart(client, envelope, fake_time):
    first, second = envelope("biomcp-search_phelan_limit5_20260811.json"), envelope("biomcp-search_phelan_next_20260811.json")
    responses.get(STUDIES, json=first)
    responses.get(STUDIES, json=page_of(second["studies"]))
    starts = []
    original_send = client.session.send

    def send(request, **kwargs):
        starts.append(fake_time.now)
        return original_send(request, **kwargs)

    client.session.send = send

    list(client.iter_pages({}))

    assert len(starts) == 2
    assert starts[1] - starts[0] >= 1.0


@responses.activate
def test_a_page_whose_studies_are_not_a_list_is_a_bad_response(client):
    responses.get(STUDIES, json={"studies": {"NCT01234567": {}}})

    with pytest.raises(CtgovBadResponse, match="without a list of studies"):
        list(client.iter_pages({}))


@responses.activate
def test_the_base_url_comes_from_the_setting(settings, envelope):
    settings.CTGOV_API_URL = "http://mirror.test/api/v2"
    responses.get("http://mirror.test/api/v2/version", json=envelope("version-response-2026-09-06.json"))

    with CtgovClient(sleep=lambda s: None) as client:
        assert client.version().api_version == "2.0.5"

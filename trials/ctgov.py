"""The ClinicalTrials.gov API v2 client: the only code in TrialFinder that uses the network.

The facts it relies on are in data/ctgov/API.md with their sources. In short: no key; JSON
pages of at most 1000 studies chained by `nextPageToken`, and error bodies in plain text
(the official OpenAPI document, data/ctgov/openapi/); no published rate limit, but robots.txt
asks for a crawl delay of one second and third-party guides cite about 50 requests a minute
(https://raw.githubusercontent.com/api-evangelist/clinical-trials-gov/refs/heads/main/rate-limits/clinical-trials-gov-rate-limits.yml).
The retry policy follows a maintained client's, which met the registry's 429s, 5xx and HTML
maintenance pages in use (https://github.com/cyanheads/clinicaltrialsgov-mcp-server/blob/18d0bad1f083e3941193445d0d772fa4269727cc/docs/design.md).
"""

import datetime
import email.utils
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import orjson
import requests
from django.conf import settings

logger = logging.getLogger(__name__)

USER_AGENT = "TrialFinder/1.0 (+https://github.com/trialfinder/trialfinder)"
PAGE_SIZE = 1000  # the API's largest; bigger values are silently cut to it (API.md §3)
CONNECT_TIMEOUT_SECONDS = 10
# Backoff between attempts: full jitter, uniform in [0, min(cap, base * 2**attempt)]
# (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 60.0
RETRY_AFTER_CAP_SECONDS = 300.0  # never let a server's Retry-After stall a sync for longer
# A page token is tied to the data version; when the daily reload lands mid-crawl the API
# rejects it and the query must start again from page 1 (API.md §4, from the design notes above).
MAX_QUERY_RESTARTS = 2
_RETRY_STATUSES = {429} | set(range(500, 600))
_BODY_EXCERPT = 500


class CtgovError(Exception):
    """ClinicalTrials.gov did not give what was asked for."""


class CtgovUnavailable(CtgovError):
    """Still failing after every retry: the network, a 5xx or 429, or a maintenance page."""


class CtgovRejected(CtgovError):
    """The API refused the request (a 4xx other than 429); retrying would not help."""

    def __init__(self, status: int, body: str, url: str):
        self.status = status
        self.body = body  # the API's own words: error bodies are plain text (API.md §4)
        self.url = url
        super().__init__(f"ClinicalTrials.gov answered {status} to {url}: {body[:_BODY_EXCERPT]}")

    @property
    def rejects_page_token(self) -> bool:
        return self.status == 400 and "token" in self.body.lower()


class CtgovBadResponse(CtgovError):
    """The API answered with JSON that is not shaped as documented."""


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class ApiVersion:
    api_version: str
    data_timestamp: datetime.datetime  # when the registry loaded its data (UTC)


class CtgovClient:
    """One requests.Session, paced to one request per `min_interval`, retrying what may pass."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        min_interval: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.base_url = (base_url or settings.CTGOV_API_URL).rstrip("/")
        self.timeout = (CONNECT_TIMEOUT_SECONDS, timeout or settings.CTGOV_TIMEOUT_SECONDS)
        self.max_retries = settings.CTGOV_MAX_RETRIES if max_retries is None else max_retries
        self.min_interval = settings.CTGOV_MIN_INTERVAL_SECONDS if min_interval is None else min_interval
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def version(self) -> ApiVersion:
        """The API's version and the time of the registry's last data load (GET /version)."""
        data = self._get("/version")
        api_version, stamp = data.get("apiVersion"), data.get("dataTimestamp")
        try:
            if not isinstance(api_version, str) or not isinstance(stamp, str):
                raise ValueError
            # "yyyy-MM-ddTHH:mm:ss" in UTC, without an offset (API.md §2).
            stamp = datetime.datetime.fromisoformat(stamp)
        except ValueError:
            raise CtgovBadResponse(f"GET /version gave an unexpected answer: {data!r:.{_BODY_EXCERPT}}") from None
        return ApiVersion(api_version, stamp if stamp.tzinfo else stamp.replace(tzinfo=datetime.UTC))

    def iter_pages(self, params: dict) -> Iterator[list[dict]]:
        """Each page of GET /studies for `params`, as its list of study records.

        If the registry reloads its data mid-crawl, the query starts again from page 1, so a
        study can come twice; storing is idempotent.
        """
        for restart in range(MAX_QUERY_RESTARTS + 1):
            token = None
            try:
                while True:
                    page_params = {**params, "format": "json", "pageSize": PAGE_SIZE}
                    if token:
                        page_params["pageToken"] = token
                    page = self._get("/studies", page_params)
                    studies = page.get("studies", [])
                    token = page.get("nextPageToken")
                    if not isinstance(studies, list) or not isinstance(token, str | None):
                        raise CtgovBadResponse(f"GET /studies gave a page without a list of studies: {page!r:.200}")
                    yield studies
                    if not token:
                        return
            except CtgovRejected as exc:
                if not (token and exc.rejects_page_token) or restart == MAX_QUERY_RESTARTS:
                    raise
                logger.warning("The page token was rejected (%s); starting the query again from page 1", exc.body)

    def _get(self, path: str, params: dict | None = None) -> dict:
        url = self.base_url + path
        attempt = 0
        while True:
            try:
                return self._attempt(url, params)
            except _Retryable as exc:
                attempt += 1
                if attempt > self.max_retries:
                    raise CtgovUnavailable(f"ClinicalTrials.gov did not answer {url} after {attempt} attempts: {exc}") from None
                delay = exc.retry_after
                if delay is None:
                    delay = random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)))
                logger.warning("GET %s failed (%s); retrying in %.1f s", url, exc, delay)
                self._sleep(delay)

    def _attempt(self, url: str, params: dict | None) -> dict:
        self._pace()
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from None
        if response.status_code in _RETRY_STATUSES:
            raise _Retryable(f"HTTP {response.status_code}", _retry_after(response.headers.get("Retry-After")))
        if response.status_code != 200:
            raise CtgovRejected(response.status_code, response.text.strip(), response.url)
        try:
            data = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            # The registry can answer 200 with an HTML maintenance or bot-check page (API.md §4).
            kind = response.headers.get("Content-Type", "unknown type")
            raise _Retryable(f"HTTP 200 but the body is not JSON ({kind})") from None
        if not isinstance(data, dict):
            raise CtgovBadResponse(f"GET {url} gave JSON that is not an object: {data!r:.200}")
        return data

    def _pace(self) -> None:
        """Wait so that requests start at least `min_interval` apart (robots.txt Crawl-delay: 1)."""
        if self._last_request is not None:
            wait = self._last_request + self.min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped; None if absent."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = (when - datetime.datetime.now(datetime.UTC)).total_seconds()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_SECONDS)

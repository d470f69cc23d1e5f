"""The web server's entry point: what it prepares before the first request."""

import importlib
import sys

import zipcodes

from trials import gazetteer


def test_the_web_server_reads_the_gazetteer_and_the_zip_codes_as_it_starts(monkeypatch):
    zip_code_lookups = []
    monkeypatch.setattr(zipcodes, "matching", zip_code_lookups.append)
    gazetteer.load.cache_clear()
    monkeypatch.delitem(sys.modules, "trialfinder.wsgi", raising=False)

    importlib.import_module("trialfinder.wsgi")

    assert gazetteer.load.cache_info().currsize == 1
    assert len(zip_code_lookups) == 1

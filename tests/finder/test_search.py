"""The patient search on the home page: filters, counts, place, words, order, pages and bad input.

Real records go in through the real ingest path, edited to set up each case. Their labels are
then set to the reference labels (data/ctgov/dev/labels.csv), so these tests exercise the
search, not the labeller.
"""

import datetime
import math
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finder import presenting
from finder import search as finder_search
from finder import searchindex
from trials.ingest import upsert_records
from trials.models import Study
from trials.querysets import EARTH_RADIUS_KM

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ROCHESTER_MN = (44.0225, -92.4699)
MINNEAPOLIS = (44.9778, -93.2650)
CHICAGO = (41.8500, -87.6500)
LOS_ANGELES = (34.0522, -118.2437)
BEIJING = (39.9075, 116.3972)


def location(facility, city, state, country, point, status=None):
    site = {"facility": facility, "city": city, "state": state, "country": country}
    site["geoPoint"] = {"lat": point[0], "lon": point[1]}
    if status:
        site["status"] = status
    return site


# nct_id: overall status, locations, eligibility, days since the last update, reference labels
WORLD = {
    "NCT01142856": (
        "RECRUITING",
        [location("Mayo Clinic", "Rochester", "Minnesota", "United States", ROCHESTER_MN, "RECRUITING")],
        {"minimumAge": "18 Years", "maximumAge": "75 Years", "sex": "ALL", "healthyVolunteers": False},
        5,
        {"phases": ["PHASE1"], "routes": ["intrathecal"], "cell_types": ["msc"], "cell_sources": ["adipose"],
         "donors": ["autologous"]},
    ),
    "NCT04651855": (
        "ACTIVE_NOT_RECRUITING",
        [location("University of Minnesota", "Minneapolis", "Minnesota", "United States", MINNEAPOLIS)],
        {"minimumAge": "18 Years", "sex": "ALL", "healthyVolunteers": False},
        400,
        {"phases": ["PHASE1", "PHASE2"], "routes": ["intrathecal"], "cell_types": ["msc"],
         "cell_sources": ["umbilical_cord"], "donors": ["allogeneic"]},
    ),
    "NCT02017912": (
        "COMPLETED",
        [],
        {"minimumAge": "18 Years", "maximumAge": "75 Years", "healthyVolunteers": False},
        900,
        {"phases": ["PHASE2"], "routes": ["intramuscular", "intrathecal"], "cell_types": ["msc"],
         "cell_sources": ["bone_marrow"], "donors": ["autologous"]},
    ),
    "NCT06607900": (
        "NOT_YET_RECRUITING",
        [location("Beijing Hospital", "Beijing", "", "China", BEIJING)],
        {"minimumAge": "18 Years", "maximumAge": "80 Years", "sex": "ALL"},
        60,
        {"phases": [], "routes": ["intranasal"], "cell_types": ["msc_derived"], "cell_sources": ["umbilical_cord"],
         "donors": ["allogeneic"]},
    ),
    "NCT06344260": (
        "RECRUITING",
        [
            location("Northwestern", "Chicago", "Illinois", "United States", CHICAGO, "COMPLETED"),
            location("Cedars-Sinai", "Los Angeles", "California", "United States", LOS_ANGELES, "RECRUITING"),
        ],
        {"minimumAge": "18 Years", "maximumAge": "65 Years", "sex": "ALL", "healthyVolunteers": False},
        20,
        {"phases": ["PHASE2"], "routes": ["intracerebroventricular"], "cell_types": ["neural"],
         "cell_sources": ["unspecified"], "donors": ["unspecified"]},
    ),
    "NCT07322003": (
        "RECRUITING",
        [],
        {"minimumAge": "40 Years", "maximumAge": "65 Years", "sex": "FEMALE", "healthyVolunteers": False},
        100,
        {"phases": ["PHASE3"], "routes": ["oral"], "cell_types": [], "cell_sources": [], "donors": []},
    ),
    "NCT02116634": (
        "WITHDRAWN",
        [],
        {"minimumAge": "18 Years", "maximumAge": "60 Years", "sex": "ALL", "healthyVolunteers": True},
        3000,
        {"phases": ["PHASE1", "PHASE2"], "routes": ["intraspinal"], "cell_types": ["msc"],
         "cell_sources": ["unspecified"], "donors": ["unspecified"]},
    ),
    "NCT06408727": (
        "AVAILABLE",
        [],
        {"minimumAge": "18 Years", "sex": "ALL", "healthyVolunteers": False},
        200,
        {"phases": [], "routes": [], "cell_types": [], "cell_sources": [], "donors": []},
    ),
}
CAN_JOIN_NOW = {"NCT01142856", "NCT06607900", "NCT06344260", "NCT07322003", "NCT06408727"}


def edited(record, status, locations, eligibility, days_since_update):
    protocol = record["protocolSection"]
    protocol["statusModule"].update(
        overallStatus=status,
        statusVerifiedDate=f"{TODAY:%Y-%m}",  # checked this month, ending in the future: no warning
        completionDateStruct={"date": f"{TODAY.year + 3}-01"},
        lastUpdatePostDateStruct={"date": f"{TODAY - datetime.timedelta(days=days_since_update)}"},
    )
    protocol.setdefault("contactsLocationsModule", {})["locations"] = locations
    protocol["eligibilityModule"] = {**protocol.get("eligibilityModule", {}), **eligibility}
    for key in ("minimumAge", "maximumAge", "sex", "healthyVolunteers"):
        if key not in eligibility:
            protocol["eligibilityModule"].pop(key, None)
    return record


@pytest.fixture
def world(shared_record):
    records = [edited(shared_record(nct_id), *setup[:4]) for nct_id, setup in WORLD.items()]
    assert not upsert_records(records).rejections
    for nct_id, setup in WORLD.items():
        Study.objects.filter(nct_id=nct_id).update(**setup[4])


def search(client, **params):
    response = client.get("/?" + urlencode(params, doseq=True))
    return response, response.context["search"]


def shown(outcome) -> list[str]:
    return [result.study.nct_id for result in outcome.results]


def count_of(outcome, facet, code) -> int:
    return next(option.count for option in outcome.choices[facet].options if option.code == code)


# Status


def test_the_home_page_shows_studies_one_can_join_now(client, world):
    response, outcome = search(client)
    assert response.status_code == 200
    assert set(shown(outcome)) == CAN_JOIN_NOW  # available expanded access included
    assert outcome.total == 5
    assert '<input type="checkbox" name="status" id="status-open" value="open" checked>' in response.content.decode()


def test_unticking_every_status_shows_studies_of_any_status(client, world):
    _, outcome = search(client, status="")
    assert set(shown(outcome)) == set(WORLD)


def test_a_closed_status_can_be_chosen_beside_can_join_now(client, world):
    _, outcome = search(client, status=["open", "COMPLETED"])
    assert set(shown(outcome)) == CAN_JOIN_NOW | {"NCT02017912"}


def test_status_codes_are_read_whatever_their_case(client, world):
    response, outcome = search(client, status="completed")
    assert response.status_code == 200
    assert shown(outcome) == ["NCT02017912"]


# Options and their counts


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"phase": "PHASE1"}, {"NCT01142856", "NCT04651855", "NCT02116634"}),
        ({"phase": ["PHASE2", "PHASE3"]}, {"NCT04651855", "NCT02017912", "NCT06344260", "NCT07322003", "NCT02116634"}),
        ({"type": "EXPANDED_ACCESS"}, {"NCT06408727"}),
        ({"route": "intrathecal"}, {"NCT01142856", "NCT04651855", "NCT02017912"}),
        ({"route": ["intranasal", "oral"]}, {"NCT06607900", "NCT07322003"}),
        ({"cell": "neural"}, {"NCT06344260"}),
        ({"msc": "1"}, {"NCT01142856", "NCT04651855", "NCT02017912", "NCT06607900", "NCT02116634"}),
        ({"source": "umbilical_cord"}, {"NCT04651855", "NCT06607900"}),
        ({"donor": "autologous"}, {"NCT01142856", "NCT02017912"}),
        ({"healthy": "1"}, {"NCT02116634"}),
        ({"sex": "MALE"}, set(WORLD) - {"NCT07322003"}),  # a record that does not say admits all
        ({"updated": "30"}, {"NCT01142856", "NCT06344260"}),
        ({"route": "intrathecal", "phase": "PHASE2"}, {"NCT04651855", "NCT02017912"}),
        ({"msc": "1", "donor": "allogeneic", "source": "umbilical_cord", "phase": "PHASE2"}, {"NCT04651855"}),
    ],
)
def test_each_filter_keeps_studies_with_any_of_its_options_and_filters_combine(client, world, params, expected):
    response, outcome = search(client, status="", **params)
    assert response.status_code == 200
    assert set(shown(outcome)) == expected


def test_updated_within_counts_back_from_the_day_of_the_search(world):
    params = QueryDict("status=&updated=7")
    today = finder_search.run(params, TODAY)
    three_days_on = finder_search.run(params, TODAY + datetime.timedelta(days=3))
    assert shown(today) == ["NCT01142856"]  # updated 5 days before TODAY, 8 days before the other
    assert (shown(three_days_on), three_days_on.total) == ([], 0)
    assert count_of(today, "updated", "30") == count_of(three_days_on, "updated", "30") == 2


@pytest.mark.parametrize(
    "params",
    [
        {"status": "", "route": "intrathecal"},
        {"sex": "FEMALE", "updated": "365"},  # and the default, can join now
        {"status": ["open", "ACTIVE_NOT_RECRUITING"], "msc": "1", "healthy": "1", "hide": "out_of_date"},
        {"status": "", "phase": "PHASE2", "place": "Minnesota", "age": "70"},
    ],
)
def test_every_option_counts_the_studies_choosing_it_would_show(client, world, params):
    Study.objects.filter(nct_id="NCT06344260").update(status_verified_date=TODAY.replace(year=TODAY.year - 3))
    _, outcome = search(client, **params)
    assert any(option.count for facet in outcome.choices.values() for option in facet.options)
    for facet in outcome.choices.values():
        if facet.name == "hide":
            continue  # its options hide the studies they count: checked below
        for option in facet.options:
            _, narrowed = search(client, **{**params, facet.name: option.code})
            assert narrowed.total == option.count, (facet.name, option.code)


def test_counts_within_a_filter_ignore_its_own_choice_but_apply_the_others(client, world):
    _, outcome = search(client, msc="1", route="intrathecal")  # and the default, can join now
    # Statuses are counted among MSC intrathecal studies of any status...
    assert count_of(outcome, "status", "open") == 1
    assert count_of(outcome, "status", "ACTIVE_NOT_RECRUITING") == 1
    assert count_of(outcome, "status", "COMPLETED") == 1
    # ...routes among MSC studies one can join now, whatever their route...
    assert count_of(outcome, "route", "intrathecal") == 1
    assert count_of(outcome, "route", "intranasal") == 1
    # ...and the MSC shortcut among intrathecal studies one can join now.
    assert count_of(outcome, "msc", "1") == 1
    assert outcome.total == 1


def test_options_no_study_has_are_not_offered_unless_chosen(client, world):
    _, outcome = search(client, status="", route="transdermal")
    assert [option.code for option in outcome.choices["route"].options if option.count == 0] == ["transdermal"]
    assert "inhaled" not in [option.code for option in outcome.choices["route"].options]


def test_with_words_and_a_place_an_option_counts_the_studies_failing_only_its_own_filter(client, world):
    _, outcome = search(client, q="stem cells", place="Rochester, MN", radius="2000", route="intrathecal")
    assert shown(outcome) == ["NCT01142856"]  # and the default, can join now
    assert count_of(outcome, "status", "ACTIVE_NOT_RECRUITING") == 1  # NCT04651855, in Minneapolis


def test_age_keeps_studies_whose_limits_admit_it(client, world):
    _, outcome = search(client, status="", age="70")
    assert set(shown(outcome)) == {"NCT01142856", "NCT04651855", "NCT02017912", "NCT06607900", "NCT06408727"}
    _, outcome = search(client, status="", age="17")
    assert shown(outcome) == []


def test_hiding_warnings_leaves_out_studies_that_may_charge_or_be_out_of_date(client, world):
    Study.objects.filter(nct_id="NCT06344260").update(pays_flag=True)
    Study.objects.filter(nct_id="NCT07322003").update(status_verified_date=TODAY.replace(year=TODAY.year - 3))
    _, outcome = search(client)
    assert count_of(outcome, "hide", "pays") == 1
    assert count_of(outcome, "hide", "out_of_date") == 1
    _, outcome = search(client, hide="pays")
    assert set(shown(outcome)) == CAN_JOIN_NOW - {"NCT06344260"}
    _, outcome = search(client, hide=["pays", "out_of_date"])
    assert set(shown(outcome)) == CAN_JOIN_NOW - {"NCT06344260", "NCT07322003"}


def test_hiding_out_of_date_studies_keeps_those_whose_records_give_no_dates(client, world):
    Study.objects.filter(nct_id="NCT01142856").update(status_verified_date=None, completion_date=None)
    _, outcome = search(client, hide="out_of_date")
    assert "NCT01142856" in shown(outcome)


def test_results_show_each_studys_warnings_with_their_evidence(client, world):
    _, outcome = search(client)
    with CaptureQueriesContext(connection) as without_warnings:
        search(client)
    Study.objects.filter(nct_id="NCT06344260").update(
        pays_flag=True,
        flag_evidence={"pays": [{"field": "protocolSection.descriptionModule.briefSummary",
                                 "phrase": "Participants pay a fee of $20,000."}]},
    )
    stale = TODAY.replace(year=TODAY.year - 3, day=1)
    Study.objects.filter(nct_id="NCT07322003").update(status_verified_date=stale)
    search(client)  # the search reads the changed studies into its copy (finder.searchindex)
    with CaptureQueriesContext(connection) as with_warnings:
        response, outcome = search(client)
    cards = {
        nct_id: card for card in response.content.decode().split('<li class="card result">')[1:]
        for nct_id in shown(outcome) if f"/studies/{nct_id}/" in card
    }
    assert "Participants may be asked to pay" in cards["NCT06344260"]
    assert "<q>Participants pay a fee of $20,000.</q> (the summary)" in cards["NCT06344260"]
    assert f'href="{presenting.GUIDANCE_URL}"' in cards["NCT06344260"]
    assert "Status may be out of date" in cards["NCT07322003"]
    assert f"last checked in {stale:%B %Y}, more than two years ago" in cards["NCT07322003"]
    assert [nct_id for nct_id, card in cards.items() if 'class="warnings"' in card] == ["NCT06344260", "NCT07322003"]
    # The partial reads columns the results load: no query of its own, and never the whole record.
    assert len(with_warnings) == len(without_warnings)
    assert all("raw" in result.study.get_deferred_fields() for result in outcome.results)


# Words


@pytest.mark.parametrize("words", ["NurOwn", "MSC-NTF", "debamestrocel"])
def test_a_product_is_found_by_any_of_its_names(client, world, words):
    _, outcome = search(client, status="", q=words)
    assert shown(outcome) == ["NCT02017912"]  # its record says "MSC-NTF, NurOwn", never debamestrocel


def test_als_is_found_by_its_other_names(client, world):
    _, by_name = search(client, status="", q="Lou Gehrig's disease")
    _, by_abbreviation = search(client, status="", q="ALS")
    assert set(shown(by_name)) == set(shown(by_abbreviation))
    assert "NCT01142856" in shown(by_name)


def test_words_are_searched_in_titles_summaries_interventions_conditions_and_sponsors(client, world):
    _, outcome = search(client, status="", q="pridopidine")  # in the title and the interventions
    assert shown(outcome) == ["NCT07322003"]


def test_background_in_a_detailed_description_does_not_make_a_study_match(client, world):
    # Its description says "NTFs are potent survival factors for embryonic ... neurons": no
    # embryonic cells are given, so a search for them should not find it.
    _, outcome = search(client, status="", q="embryonic")
    assert "NCT02017912" not in shown(outcome)
    _, outcome = search(client, status="", q="NurOwn")
    assert shown(outcome) == ["NCT02017912"]


def test_words_naming_a_label_find_the_studies_with_it(client, world):
    # NCT02017912 says "intrathecal" only in its detailed description; its labels say it too.
    _, outcome = search(client, status="", q="intrathecal")
    assert set(shown(outcome)) == {"NCT01142856", "NCT04651855", "NCT02017912"}
    Study.objects.filter(nct_id="NCT02017912").update(routes=["intramuscular"])  # as relabelling would
    _, outcome = search(client, status="", q="intrathecal")
    assert "NCT02017912" not in shown(outcome)


def test_the_best_match_comes_first(client, world):
    _, outcome = search(client, status="", q="stem cells")
    in_title = ["stem cell" in result.study.brief_title.lower() for result in outcome.results]
    assert in_title == sorted(in_title, reverse=True)  # title matches first
    assert in_title[0] and not in_title[-1]


def test_web_search_syntax_excludes_words(client, world):
    _, outcome = search(client, status="", q="mesenchymal -immune")
    assert "NCT04651855" not in shown(outcome)  # "Mesenchymal Stem Cells on the Immune System"
    assert "NCT01142856" in shown(outcome)


def test_words_that_are_only_punctuation_or_common_words_find_nothing_without_an_error(client, world):
    for words in ("!!!", "the", '"', "-", "&|!"):
        response, outcome = search(client, status="", q=words)
        assert response.status_code == 200
        assert outcome.total == 0


# Place


def test_a_place_keeps_studies_with_a_site_within_the_distance_nearest_first(client, world):
    _, outcome = search(client, status="", place="Rochester, MN", radius="100")
    assert shown(outcome) == ["NCT01142856", "NCT04651855"]
    nearest, next_nearest = outcome.results
    assert nearest.site == "Mayo Clinic, Rochester, Minnesota, United States"
    assert nearest.distance == "under 1 mile"
    assert next_nearest.distance == "77 miles"


def test_a_study_the_registry_did_not_geocode_is_found_near_its_city(client, shared_record):
    assert not upsert_records([shared_record("NCT01609283")]).rejections  # as bundled: no geoPoints
    _, outcome = search(client, status="", place="Rochester, MN", radius="25")
    assert shown(outcome) == ["NCT01609283"]
    assert outcome.results[0].distance == "under 1 mile"


def test_distances_are_in_the_unit_chosen(client, world):
    _, outcome = search(client, status="", place="Rochester, MN", radius="100", unit="km")
    assert shown(outcome) == ["NCT01142856"]  # Minneapolis is 124 km away
    _, outcome = search(client, status="", place="Rochester, MN", radius="150", unit="km")
    assert outcome.results[1].distance == "124 km"


def test_for_studies_one_can_join_only_their_open_sites_count(client, world):
    # NCT06344260's Chicago site has finished; its open site is in Los Angeles.
    _, outcome = search(client, place="Chicago", radius="50")
    assert "NCT06344260" not in shown(outcome)
    _, outcome = search(client, place="Chicago", radius="2000")
    result = outcome.results[shown(outcome).index("NCT06344260")]
    assert result.site.startswith("Cedars-Sinai, Los Angeles")
    assert result.distance == "1,741 miles"


def test_for_closed_studies_every_site_counts(client, world):
    _, outcome = search(client, status="ACTIVE_NOT_RECRUITING", place="Minneapolis", radius="10")
    assert shown(outcome) == ["NCT04651855"]


def test_words_and_a_place_keep_the_studies_that_have_both(client, world):
    _, both = search(client, status="", q="stem cells", place="Rochester, MN", radius="2000")
    _, words = search(client, status="", q="stem cells")
    _, place = search(client, status="", place="Rochester, MN", radius="2000")
    assert set(shown(both)) == set(shown(words)) & set(shown(place))
    assert 0 < both.total < words.total


@pytest.mark.parametrize(
    "site, searched_from",
    [((-16.5, 179.95), (-16.5, -179.95)), ((89.95, 120.0), (89.9, -60.0))],
    ids=["across the 180th meridian", "across the north pole"],
)
def test_distances_are_measured_across_the_180th_meridian_and_the_poles(shared_record, site, searched_from):
    record = edited(shared_record("NCT07322003"), "RECRUITING", [location("Far", "Away", "", "Fiji", site)], {}, 1)
    assert not upsert_records([record]).rejections
    assert near(*searched_from, km=50) == {"NCT07322003": pytest.approx(11, abs=9)}


def test_a_radius_reaching_round_the_earth_keeps_a_site_on_its_far_side(shared_record):
    record = edited(shared_record("NCT07322003"), "RECRUITING", [location("Far", "Away", "", "Fiji", (-16.5, 179.95))], {}, 1)
    assert not upsert_records([record]).rejections
    antipode = (16.5, -0.05)
    assert near(*antipode, km=20_000) == {}  # just short of half way round
    # The largest radius, 12,500 miles
    assert near(*antipode, km=20_117) == {"NCT07322003": pytest.approx(math.pi * EARTH_RADIUS_KM)}


def near(latitude, longitude, km) -> dict[str, float]:
    """The studies with a site that counts within `km` of a point, and how far the nearest is."""
    copy = searchindex.current()
    closeness = copy.closeness(latitude, longitude)
    within = searchindex.within_km(closeness, km)
    nct_ids = dict(Study.objects.filter(id__in=copy.ids[within].tolist()).values_list("id", "nct_id"))
    return {nct_ids[pk]: km for pk, km in zip(copy.ids[within].tolist(), searchindex.arc_km(closeness[within]))}


def test_a_state_or_country_keeps_studies_with_a_site_there(client, world):
    _, outcome = search(client, status="", place="Minnesota")
    assert set(shown(outcome)) == {"NCT01142856", "NCT04651855"}
    assert outcome.results[0].site.endswith("Minnesota, United States")
    assert outcome.results[0].distance == ""
    _, outcome = search(client, status="", place="China")
    assert shown(outcome) == ["NCT06607900"]


def test_an_ambiguous_place_asks_which_with_links_that_keep_the_search(client, world):
    response, outcome = search(client, place="Rochester", phase="PHASE1")
    assert response.status_code == 200
    assert outcome.place_not_found.ambiguous
    assert outcome.criteria.place is None
    assert set(shown(outcome)) == {"NCT01142856"}  # not limited by place meanwhile
    label, url = outcome.suggestions[1]
    assert label == "Rochester, Minnesota, United States"
    assert url == "?" + urlencode({"phase": "PHASE1", "place": label})
    html = response.content.decode()
    assert "More than one place is called “Rochester”. Which one do you mean?" in html
    assert f'<a href="{url.replace("&", "&amp;")}">{label}</a>' in html


def test_an_unknown_place_says_so_and_suggests_names_spelled_alike(client, world):
    response, outcome = search(client, place="Rochster")
    assert response.status_code == 200
    assert "We could not find “Rochster”. Did you mean one of these?" in response.content.decode()
    assert outcome.suggestions


# Order


def test_results_can_be_sorted_by_newest_and_recently_updated(client, world):
    _, by_update = search(client, status="", sort="updated")
    assert shown(by_update)[:3] == ["NCT01142856", "NCT06344260", "NCT06607900"]
    _, newest = search(client, status="", sort="newest")
    first_posted = [Study.objects.get(nct_id=nct_id).first_posted for nct_id in shown(newest)]
    dated = [date for date in first_posted if date]
    assert dated == sorted(dated, reverse=True) and first_posted[: len(dated)] == dated  # undated last


def test_nearest_first_and_recently_updated_first_order_the_same_studies_differently(client, world):
    _, nearest = search(client, status="", place="Minneapolis", radius="100", sort="nearest")
    _, updated = search(client, status="", place="Minneapolis", radius="100", sort="updated")
    assert shown(nearest) == ["NCT04651855", "NCT01142856"]  # 0 and 77 miles away
    assert shown(updated) == ["NCT01142856", "NCT04651855"]  # updated 5 and 400 days ago


def test_sorting_by_distance_without_a_place_explains_and_keeps_the_best_match(client, world):
    response, outcome = search(client, sort="nearest")
    assert response.status_code == 200
    assert outcome.criteria.sort == "relevance"
    assert "To sort by distance, type a town or ZIP code first." in response.content.decode()


# Pages


@pytest.fixture
def many(shared_record):
    """45 studies one can join."""
    records = []
    for number in range(45):
        record = edited(shared_record("NCT01142856"), "RECRUITING", [], {}, number)
        record["protocolSection"]["identificationModule"]["nctId"] = f"NCT9{number:07d}"
        records.append(record)
    assert not upsert_records(records).rejections


def test_results_come_twenty_to_a_page_with_links_that_keep_the_filters(client, many):
    _, first = search(client, phase="PHASE1")
    assert first.total == 45 and len(first.results) == 20
    assert [number for number, _ in first.page_links] == [1, 2, 3]
    assert first.next_url == "?phase=PHASE1&page=2"
    _, last = search(client, phase="PHASE1", page="3")
    assert len(last.results) == 5
    assert set(shown(first)).isdisjoint(shown(last))


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client, many):
    response, outcome = search(client, page="999999")
    assert response.status_code == 200
    assert outcome.page.number == 3 and len(outcome.results) == 5
    assert "There is no page 999,999; this is the last page, page 3." in response.content.decode()


def test_the_number_of_queries_is_the_same_for_one_result_and_for_many(client, shared_record):
    def located(number):
        record = edited(
            shared_record("NCT06344260"),
            "RECRUITING",
            [location("Mayo Clinic", "Rochester", "Minnesota", "United States", ROCHESTER_MN, "RECRUITING")],
            {},
            1,
        )
        record["protocolSection"]["identificationModule"]["nctId"] = f"NCT9{number:07d}"
        return record

    def queries_per_search() -> list[int]:
        client.get("/")  # the search reads the changed studies into its copy first (finder.searchindex)
        counts = []
        for params in ({"q": "neural", "place": "55905"}, {"place": "Minnesota"}, {}, {"place": "55905"}):
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/?" + urlencode(params))
            counts.append(len(queries))
            assert response.context["search"].total == Study.objects.count()
        return counts

    assert not upsert_records([located(0)]).rejections
    with_one = queries_per_search()
    assert not upsert_records([located(number) for number in range(1, 45)]).rejections
    assert queries_per_search() == with_one
    assert max(with_one) <= 8


# Bad input


@pytest.mark.parametrize(
    "params, message",
    [
        ({"phase": "XYZ"}, "“XYZ” is not one of the choices under “Phase”, so it was left out."),
        ({"radius": "-5", "place": "Rochester, MN"}, "The distance must be at least 1."),
        ({"radius": "lots"}, "The distance must be a whole number, like 50."),
        ({"age": "abc"}, "Age must be a whole number of years, like 54."),
        ({"age": "500"}, "Age must be 120 or less."),
        ({"page": "abc"}, "The page number must be a whole number, so the first page is shown."),
        ({"page": "0"}, "The page number must be 1 or more, so the first page is shown."),
        ({"q": "als " * 60}, "Search words can be at most 200 characters long."),
        ({"place": "x" * 101}, "A place can be at most 100 characters long."),
        ({"unit": "furlongs"}, "The distance unit must be miles (mi) or kilometres (km)."),
        ({"sort": "cheapest"}, "That sort order does not exist, so the results show the best match first."),
        ({"sex": "other"}, "“other” is not one of the choices under “My sex”, so it was left out."),
        ({"updated": "-1"}, "“-1” is not one of the choices under “Updated”, so it was left out."),
        ({"q": "stem\x00cells"}, "Null characters are not allowed."),
        ({"place": "12\x00345"}, "That place name contains a character we cannot read."),
        ({"status": "XYZ"}, "“XYZ” is not one of the choices under “Can I join?”, so it was left out."),
    ],
)
def test_a_bad_parameter_gives_the_page_with_a_plain_message_and_400(client, world, params, message):
    response, outcome = search(client, **params)
    assert response.status_code == 400
    assert message in outcome.problems
    html = response.content.decode()
    assert "Part of your search could not be used" in html
    assert message.replace("“", "&ldquo;") in html or message in html
    assert outcome.results  # the rest of the search still ran


def test_a_long_bad_value_is_quoted_shortened(client, world):
    response, outcome = search(client, updated="x" * 5000)
    assert response.status_code == 400
    assert outcome.problems == [f"“{'x' * 39}…” is not one of the choices under “Updated”, so it was left out."]


def test_one_choice_options_are_read_whatever_their_case(client, world):
    response, outcome = search(client, status="", sex="male")
    assert response.status_code == 200
    assert outcome.criteria.chosen["sex"] == ("MALE",)
    assert "NCT07322003" not in shown(outcome)


def test_a_bad_option_is_left_out_and_the_good_ones_kept(client, world):
    response, outcome = search(client, status="", phase=["XYZ", "PHASE3"])
    assert response.status_code == 400
    assert shown(outcome) == ["NCT07322003"]


def test_a_bad_status_falls_back_to_studies_one_can_join_now(client, world):
    _, outcome = search(client, status="XYZ")
    assert set(shown(outcome)) == CAN_JOIN_NOW


def test_a_bad_radius_uses_the_default_distance(client, world):
    _, outcome = search(client, status="", place="Rochester, MN", radius="-5")
    assert outcome.criteria.radius == 100
    assert shown(outcome) == ["NCT01142856", "NCT04651855"]


def test_the_form_shows_the_search_as_it_was_asked(client, world):
    response, _ = search(client, q="stem cells", place="Rochester, MN", radius="250", unit="km", age="54", sex="FEMALE")
    html = response.content.decode()
    assert 'name="q" id="id_q" value="stem cells"' in html
    assert 'name="place" id="id_place" value="Rochester, MN"' in html
    assert '<option value="250" selected>' in html and '<option value="km" selected>' in html
    assert 'name="age" id="id_age" inputmode="numeric" min="0" max="120" value="54"' in html
    assert 'id="sex-FEMALE" value="FEMALE" checked' in html


def test_each_result_links_to_its_study_page_and_says_what_it_involves(client, world):
    response, _ = search(client, place="Rochester, MN")
    html = response.content.decode()
    assert '<a href="/studies/NCT01142856/?near=Rochester%2C%20MN">' in html
    for words in ("Recruiting now", "Phase 1: is it safe?", "Into the spinal fluid (intrathecal)",
                  "Mesenchymal stem cells (MSC)", "Fat tissue (adipose)", "The patient&#x27;s own cells",
                  "Mayo Clinic, Rochester, Minnesota, United States: <strong>under 1 mile</strong> away"):
        assert words in html, words

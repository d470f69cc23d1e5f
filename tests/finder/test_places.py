"""finder.places: the place a person types, found offline, or a clear "which one?"."""

import pytest

from finder.places import Point, PlaceNotFound, Region, resolve
from trials.ingest import upsert_records

# A name the gazetteer lacks is looked for among the stored sites.
pytestmark = pytest.mark.django_db


def near(point, latitude, longitude, degrees=0.2):
    return abs(point.latitude - latitude) < degrees and abs(point.longitude - longitude) < degrees


def not_found(text) -> PlaceNotFound:
    with pytest.raises(PlaceNotFound) as caught:
        resolve(text)
    return caught.value


def test_a_us_zip_code_is_a_point_at_its_coordinates():
    place = resolve("55905")
    assert isinstance(place, Point)
    assert near(place, 44.02, -92.47)
    assert place.label == "55905 (Rochester, MN)"


def test_a_zip_plus_four_code_is_read_as_its_zip_code():
    assert resolve("55905-0001") == resolve("55905")


def test_a_city_with_a_state_code_is_that_city():
    place = resolve("Rochester, MN")
    assert place.label == "Rochester, Minnesota, United States"
    assert near(place, 44.02, -92.47)


def test_a_city_with_its_country_is_that_city():
    place = resolve("Toronto, Canada")
    assert place.label == "Toronto, Canada"
    assert near(place, 43.70, -79.40)


def test_a_state_code_may_follow_the_city_without_a_comma():
    assert resolve("Rochester MN") == resolve("Rochester, Minnesota")


@pytest.mark.parametrize("text", ["Minnesota", "MN", "minnesota"])
def test_a_us_state_is_a_region_named_as_the_registry_names_it(text):
    assert resolve(text) == Region("Minnesota, United States", ("United States",), "Minnesota")


def test_two_letters_mean_a_us_state_not_a_country_code():
    assert resolve("CA") == Region("California, United States", ("United States",), "California")


def test_a_country_is_a_region_named_as_the_registry_names_it():
    assert resolve("Germany") == Region("Germany", ("Germany",))
    assert resolve("South Korea").countries == ("Korea, Republic of",)
    assert resolve("USA").countries == ("United States",)


def test_a_name_shared_by_a_far_bigger_city_means_that_city():
    assert resolve("London").label == "London, United Kingdom"
    assert resolve("Paris").label == "Paris, France"


@pytest.mark.parametrize(
    "text, first_suggestions",
    [
        ("Rochester", ["Rochester, New York, United States", "Rochester, Minnesota, United States"]),
        ("Springfield", ["Springfield, Missouri, United States", "Springfield, Massachusetts, United States"]),
        ("Portland", ["Portland, Oregon, United States", "Portland, Maine, United States"]),
    ],
)
def test_a_name_shared_by_cities_of_similar_size_asks_which_biggest_first(text, first_suggestions):
    problem = not_found(text)
    assert problem.ambiguous
    assert problem.message == f"More than one place is called “{text}”. Which one do you mean?"
    assert problem.suggestions[:2] == first_suggestions
    assert len(problem.suggestions) <= 5


def test_a_name_shared_by_a_state_and_a_country_asks_which():
    assert not_found("Georgia").suggestions == ["Georgia", "Georgia, United States"]


@pytest.mark.parametrize("text", ["Springfield", "Washington", "Rochester", "Rochster"])
def test_every_suggestion_resolves_when_typed_back(text):
    suggestions = not_found(text).suggestions
    assert suggestions
    for suggestion in suggestions:
        assert resolve(suggestion).label == suggestion


def test_an_unknown_place_suggests_names_spelled_alike():
    problem = not_found("Rochster")
    assert not problem.ambiguous
    assert problem.message == "We could not find “Rochster”. Did you mean one of these?"
    assert "Rochester, Minnesota, United States" in problem.suggestions


def test_an_unknown_place_suggests_places_that_start_with_it():
    assert "Minneapolis, Minnesota, United States" in not_found("Minneap").suggestions


def test_a_place_like_nothing_known_says_what_to_type():
    problem = not_found("Qqqxv")
    assert problem.suggestions == []
    assert problem.message == "We could not find “Qqqxv”. Try a city, a US ZIP code, a state or a country."


@pytest.mark.parametrize("text", ["", "  ", ",", "!!!"])
def test_text_with_no_letters_or_digits_is_not_a_place(text):
    assert not_found(text).suggestions == []


def test_names_match_without_case_accents_or_spelled_out_abbreviations():
    assert resolve("sao paulo").label == "São Paulo, Brazil"
    assert resolve("ST. LOUIS, MO") == resolve("Saint Louis, Missouri")
    assert resolve("Ft Worth").label == "Fort Worth, Texas, United States"


def test_an_english_name_of_a_big_city_finds_it():
    assert resolve("Cologne").label == "Köln, Germany"


def test_a_region_the_gazetteer_does_not_know_still_finds_the_only_city_of_that_name():
    assert resolve("Toronto, Ontario").label == "Toronto, Canada"


def test_a_region_the_gazetteer_does_not_know_does_not_choose_between_namesakes():
    problem = not_found("London, Ontario")
    assert problem.ambiguous
    assert "London, Canada" in problem.suggestions


def test_a_nul_character_is_not_a_place_and_reaches_no_query():
    assert not_found("Roch\x00ester").suggestions == []


def test_a_small_town_with_a_study_site_resolves_to_the_sites_coordinates(shared_record):
    # Billerica (about 40,000 people) is below the gazetteer's size but one of the records has a site there.
    assert not upsert_records([shared_record("NCT04207047")]).rejections
    place = resolve("Billerica, Massachusetts")
    assert place.label == "Billerica, Massachusetts, United States"
    assert near(place, 42.56, -71.27, degrees=0.05)


def test_a_postal_code_outside_the_us_resolves_from_the_sites_that_have_it(shared_record):
    assert not upsert_records([shared_record("NCT03475563")]).rejections  # sites in Spain
    place = resolve("08208")  # five digits, but not a US ZIP code in use
    assert place.label == "08208, Sabadell, Barcelona, Spain"
    assert near(place, 41.54, 2.11, degrees=0.01)


def test_a_postal_code_of_another_country_is_looked_up_among_sites_when_the_country_is_named(shared_record):
    assert not upsert_records([shared_record("NCT06171568")]).rejections  # a site in Paris, 75010
    assert resolve("75010, France").label == "75010, Paris, Ile-de-France, France"  # 75010 alone is a ZIP code in Texas

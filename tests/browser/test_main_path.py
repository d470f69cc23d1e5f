"""The main path, by keyboard: filter by intrathecal + MSC + a place, open a study, come back."""

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, locator, key):
    """Operates a control the way a keyboard user does: focus it, then press a key."""
    locator.focus()
    page.keyboard.press(key)


def press_and_load(page, locator, key="Enter"):
    """Presses a key that follows a link or submits a form, and waits for the new page."""
    with page.expect_navigation():
        press(page, locator, key)


def test_filter_open_a_study_and_come_back_with_the_filters_kept(site, page, axe, screenshot):
    page.goto(site + "/")
    screenshot(page, "1-search")

    # The real intrathecal MSC studies have all closed, so "can join now" comes off too.
    press(page, page.get_by_label("Can join now"), "Space")
    press(page, page.get_by_label("Into the spinal fluid (intrathecal)"), "Space")
    press(page, page.get_by_label("MSC studies only"), "Space")
    page.get_by_label("Near").focus()
    page.keyboard.type("Minnesota")
    press_and_load(page, page.get_by_label("Near"))

    query = parse_qs(urlsplit(page.url).query)
    assert query["route"] == ["intrathecal"] and query["msc"] == ["1"] and query["place"] == ["Minnesota"]
    results_url = page.url
    # NCT01142856: autologous adipose MSCs given intrathecally, at the Mayo Clinic in Rochester, Minnesota.
    study_link = page.locator("main a[href^='/studies/NCT01142856/']")
    assert study_link.count() == 1
    screenshot(page, "2-results")
    axe(page)

    press_and_load(page, study_link)
    title = page.locator("h1").inner_text()
    assert title == "Mesenchymal Stem Cells for Treatment of Amyotrophic Lateral Sclerosis (ALS)"
    assert page.get_by_text("Into the spinal fluid (intrathecal)").count() >= 1
    assert page.get_by_text("Mayo Clinic").count() >= 1
    screenshot(page, "3-study")
    axe(page)

    page.go_back()
    assert page.url == results_url
    assert page.get_by_label("Into the spinal fluid (intrathecal)").is_checked()
    assert page.get_by_label("MSC studies only").is_checked()
    assert page.locator("main a[href^='/studies/NCT01142856/']").count() == 1
    assert page.get_by_label("Near").input_value() == "Minnesota"
    screenshot(page, "4-back")

    press_and_load(page, page.locator("main a[href^='/studies/NCT01142856/']"))
    press_and_load(page, page.get_by_role("link", name="Back to search"))
    assert parse_qs(urlsplit(page.url).query) == parse_qs(urlsplit(results_url).query)
    assert page.get_by_label("MSC studies only").is_checked()

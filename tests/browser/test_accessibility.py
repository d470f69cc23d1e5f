"""WCAG 2.2 AA in a real browser: axe-core, keyboard, target sizes, no JavaScript, zoom, weight."""

import pytest

from trials.ingest import upsert_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH_PAGES = {
    "search-empty": "/",
    "search-with-filters": "/?route=intrathecal&msc=1&place=Minnesota",
    "search-no-results": "/?q=qzxqzxqzx",
    "search-bad-parameter": "/?age=old&phase=PHASE9",
}
STUDY_PAGES = {
    "study-with-437-sites": "/studies/NCT02513394/",
    "study-with-a-warning": "/studies/NCT06181526/",
    "study-with-criteria-in-one-line": "/studies/NCT05671796/",
    "study-with-a-bad-place": "/studies/NCT05766735/?near=Springfield",
    "study-not-found": "/studies/NCT09999999/",
}
ALL_PAGES = {**SEARCH_PAGES, **STUDY_PAGES}

# Every control a pointer can hit, except links inside running text, which WCAG exempts
# (SC 2.5.8 "Inline"). A checkbox or radio counts with its label, which also toggles it.
SMALL_TARGETS = """() => {
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  const small = [];
  for (const control of controls) {
    if (!control.getClientRects().length) continue;
    const style = getComputedStyle(control);
    const parentText = control.parentElement.textContent.replace(/\\s+/g, ' ').trim();
    const ownText = control.textContent.replace(/\\s+/g, ' ').trim();
    if (style.display === 'inline' && parentText !== ownText) continue;
    const choice = ['checkbox', 'radio'].includes(control.type);
    const target = choice ? (control.closest('label') || control.labels[0]) : control;
    const box = target.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) {
      small.push(`${Math.round(box.width)}x${Math.round(box.height)} ${control.outerHTML.slice(0, 100)}`);
    }
  }
  return small;
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_axe_finds_no_violations(site, page, axe, screenshot, name):
    page.goto(site + ALL_PAGES[name])
    screenshot(page, "desktop")
    axe(page)


def test_the_pay_warning_stands_out_and_passes_axe(site, page, axe, screenshot, shared_record):
    record = shared_record("NCT06181526")
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT09999998"
    record["protocolSection"]["descriptionModule"]["briefSummary"] = "Patients will pay for the cell product."
    assert not upsert_records([record]).rejections
    page.goto(site + "/studies/NCT09999998/")
    screenshot(page, "desktop")
    border = page.locator(".warning-pays").first.evaluate("warning => getComputedStyle(warning).borderLeftColor")
    assert border == "rgb(164, 38, 44)"  # --danger-border, unlike the status warning's
    axe(page)


@pytest.mark.parametrize("name", ["search-empty", "study-with-437-sites"])
def test_axe_finds_no_violations_on_a_phone(site, phone_page, axe, screenshot, name):
    page = phone_page
    page.goto(site + ALL_PAGES[name])
    screenshot(page, "phone")
    axe(page)


@pytest.mark.parametrize("name", ["search-empty", "study-with-a-warning"])
def test_the_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_main_content(site, page, screenshot, name):
    page.goto(site + ALL_PAGES[name])
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.hash]")
    assert focused == ["Skip to main content", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] >= 44  # on screen once focused
    screenshot(page, "skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("name", ["search-with-filters", "study-with-437-sites"])
def test_focus_is_clearly_visible_on_every_control(site, page, name):
    page.goto(site + ALL_PAGES[name])
    reached, unmarked = 0, []
    for _ in range(40):
        page.keyboard.press("Tab")
        tag, html, outline_style, outline_width = page.evaluate(
            "() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.tagName, e.outerHTML.slice(0, 80), s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        if tag == "BODY":  # past the last control
            break
        reached += 1
        if outline_style == "none" or outline_width < 2:
            unmarked.append(html)
    assert reached >= 5
    assert unmarked == []


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_target_is_at_least_44_by_44_pixels(site, page, name):
    page.goto(site + ALL_PAGES[name])
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(SMALL_TARGETS) == []


@pytest.mark.parametrize("name", ALL_PAGES)
@pytest.mark.parametrize("width", [320, 640])  # 320: reflow (SC 1.4.10); 640: a 1280 screen at 200%
def test_no_horizontal_scrolling_when_narrow_or_zoomed(site, new_page, screenshot, name, width):
    page = new_page(viewport={"width": width, "height": 800}, device_scale_factor=2)
    page.goto(site + ALL_PAGES[name])
    screenshot(page, f"{width}px")
    assert page.evaluate(OVERFLOW) <= 0


def test_search_and_study_pages_work_without_javascript(site, new_page, screenshot):
    page = new_page(java_script_enabled=False)
    page.goto(site + "/")
    page.get_by_label("Into the spinal fluid (intrathecal)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show studies").click()
    assert "route=intrathecal" in page.url
    screenshot(page, "results")
    with page.expect_navigation():
        page.locator("main a[href^='/studies/NCT06181526/']").click()  # intrathecal, open, with a long description
    description = page.locator("details", has_text="Read the detailed description")
    assert not description.evaluate("details => details.open")
    description.get_by_text("Read the detailed description").click()  # <details> opens without script
    assert description.evaluate("details => details.open")
    assert description.get_by_text("derived from cellular exosomes").is_visible()
    screenshot(page, "study")


def test_reduced_motion_turns_off_animation(site, new_page):
    page = new_page(reduced_motion="reduce")
    page.goto(site + "/studies/NCT06181526/")
    moving = page.evaluate(
        "() => [...document.querySelectorAll('*')].filter(e => { const s = getComputedStyle(e);"
        " return parseFloat(s.transitionDuration) > 0.001 || parseFloat(s.animationDuration) > 0.001; }).length"
    )
    assert moving == 0


@pytest.mark.parametrize("name", ["search-empty", "search-with-filters", "study-with-437-sites"])
def test_pages_are_light(site, page, name):
    """Under 300 KB and under 50 KB of script, counting bodies uncompressed (an upper bound)."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(site + ALL_PAGES[name], wait_until="networkidle")
    sizes = {response.url: (response.headers.get("content-type", ""), len(response.body())) for response in responses}
    assert sum(size for _, size in sizes.values()) < 300_000, sizes
    assert sum(size for kind, size in sizes.values() if "javascript" in kind) < 50_000, sizes


def test_the_axe_check_reports_a_violation_when_there_is_one(site, page, axe):
    """Guards the harness itself: a page with an unlabelled field must fail."""
    page.goto(site + "/studies/NCT06181526/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('input'))")
    with pytest.raises(AssertionError, match="label"):
        axe(page)

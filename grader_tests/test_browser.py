"""report.html and a packet page in headless Chromium: plots load and are not blank, math is rendered."""

from __future__ import annotations

import pytest

from autograder.packet import make_packet
from xentcore.mathhtml import page as html_page
from xentcore.mathhtml import render

from browser import IMAGES_OK, MATH_OK, open_page, screenshot
from conftest import ROOT
from sample_class import sample_class  # noqa: F401 - fixture

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_report_plots_load_and_are_not_blank(browser, sample_class):
    summary, _ = sample_class
    page = open_page(browser, summary.report.as_uri())
    images = page.evaluate(IMAGES_OK)
    screenshot(page, "report.png")
    assert len(images) == 3
    for image in images:
        assert image["ok"], f"plot {image['src']} did not load"
        assert image["colours"] > 3, f"plot {image['src']} looks blank"
    assert page.problems == []
    assert page.locator("h2", has_text="Likely misconceptions").count() == 1


def test_packet_math_is_rendered(browser, sample_class):
    _, out = sample_class
    packet = make_packet("coin_mle", out, root=ROOT)
    page = open_page(browser, packet.pages[0].as_uri())
    math = page.evaluate(MATH_OK)
    screenshot(page, "packet_q6.png")
    assert math["maths"] > 10 and math["sized"] == math["maths"], "some formulas have no size"
    assert math["fractions"] > 0 and math["stacked"] == math["fractions"], "fractions are not laid out as math"
    assert page.problems == []


MATH_SPACING = """() => {
  const ln = Array.from(document.querySelectorAll('mi')).find(m => m.textContent === 'ln');
  let next = ln.nextElementSibling;
  while (next && next.tagName.toLowerCase() === 'mspace') next = next.nextElementSibling;
  const prime = Array.from(document.querySelectorAll('mo, mi')).find(m => m.textContent === '\u2032');
  const base = prime.previousElementSibling || prime.parentElement.previousElementSibling;
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  return {gap: next.getBoundingClientRect().left - ln.getBoundingClientRect().right,
          prime: size(prime), base: size(base)};
}"""


def test_maths_keeps_space_after_ln_and_primes_at_normal_size(browser, tmp_path):
    path = tmp_path / "maths.html"
    path.write_text(html_page("maths", render(r"The loss is $-\ln x$ and its derivative $f'(x)$.")))
    page = open_page(browser, path.as_uri())
    measured = page.evaluate(MATH_SPACING)
    screenshot(page, "maths_spacing.png")
    assert measured["gap"] >= 2, f"no space between ln and its argument: {measured}"
    assert measured["prime"] == measured["base"], f"the prime is set smaller than its base: {measured}"
    assert page.problems == []


SUBMISSION_SCORES = """() => {
  const table = Array.from(document.querySelectorAll('table.sortable'))
    .find(t => t.caption.textContent.startsWith("Every submission's scores"));
  return Array.from(table.tBodies[0].rows).map(r => parseFloat(r.cells[2].getAttribute('data-sort')));
}"""


def test_report_tables_sort_by_any_column_by_keyboard(browser, sample_class):
    summary, _ = sample_class
    page = open_page(browser, summary.report.as_uri())
    before = page.evaluate(SUBMISSION_SCORES)
    header = page.locator("table.sortable", has=page.locator("caption", has_text="Every submission's scores")) \
        .locator("thead th").nth(2)
    header.locator("button").focus()
    page.keyboard.press("Enter")
    ascending = page.evaluate(SUBMISSION_SCORES)
    assert header.get_attribute("aria-sort") == "ascending"
    assert ascending == sorted(before) and sorted(ascending) == sorted(before)
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert page.evaluate(SUBMISSION_SCORES) == sorted(before, reverse=True)
    names = page.locator("table.sortable", has=page.locator("caption", has_text="Every submission's scores")) \
        .locator("tbody th")
    page.locator("table.sortable", has=page.locator("caption", has_text="Every submission's scores")) \
        .locator("thead th").nth(0).locator("button").press("Enter")
    shown = names.all_inner_texts()
    assert shown == sorted(shown, key=str.lower)
    assert page.problems == []

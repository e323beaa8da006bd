"""report.html and a packet page in headless Chromium: plots load and are not blank, math is rendered."""

from __future__ import annotations

import pytest

from autograder.packet import make_packet

from browser import IMAGES_OK, MATH_OK, open_page, screenshot
from conftest import ROOT
from sample_class import sample_class  # noqa: F401 - fixture

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_report_plots_load_and_are_not_blank(browser, sample_class):
    summary, _ = sample_class
    page = open_page(browser, summary.report.as_uri())
    images = page.evaluate(IMAGES_OK)
    screenshot(page, "report.png")
    assert len(images) == 4
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

"""Every page the project writes passes axe-core's WCAG 2.1 A/AA rules in headless Chromium, with zero violations;
the practice page also works by keyboard alone and announces its feedback to screen readers."""

from __future__ import annotations

import pytest

from autograder.packet import make_packet

from accessibility import axe_script, axe_violations, describe  # noqa: F401 - fixture
from browser import open_page
from conftest import ROOT
from quizzes.exporters.common import plain_decimal
from sample_class import sample_class  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser]


def assert_no_violations(page, axe_script, where):
    violations = axe_violations(page, axe_script)
    assert violations == [], f"{where}: axe-core found WCAG 2.1 A/AA violations:\n{describe(violations)}"


def test_practice_page_passes_axe_before_and_after_answering(browser, exports, practice_items, axe_script):
    items = {entry.uid: entry for entry in practice_items}
    page = open_page(browser, exports["html"].as_uri())
    assert_no_violations(page, axe_script, "practice.html as opened")
    num_card = page.locator("article.question[data-type=num]").first
    num_card.locator("input.num-input").fill("123456")
    num_card.locator("button.check").click()
    choice_card = page.locator("article.question[data-type=single]").first
    wrong = next(i for i, c in enumerate(items[choice_card.get_attribute("data-uid")].choices) if not c.correct)
    choice_card.locator("input[type=radio]").nth(wrong).check()
    choice_card.locator("button.check").click()
    page.locator("#finish").click()
    assert_no_violations(page, axe_script, "practice.html with feedback, solutions and the score shown")
    assert page.problems == []


def tab_to(page, selector, limit=400):
    """Press Tab until the focused element matches ``selector``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_practice_page_works_by_keyboard_and_announces_feedback(browser, exports, practice_items):
    items = {entry.uid: entry for entry in practice_items}
    page = open_page(browser, exports["html"].as_uri())

    # a numerical answer: Tab to the field, type, Enter
    tab_to(page, "article.question[data-type=num] input.num-input")
    card = page.locator("article.question[data-type=num]").first
    item = items[card.get_attribute("data-uid")]
    page.keyboard.type(plain_decimal(item.answer))
    page.keyboard.press("Enter")
    status = card.locator("[role=status]")
    assert status.count() == 1 and status.inner_text().startswith("Correct"), "the verdict is not announced"

    # a single-choice question: Tab into the radio group, arrow keys pick, Tab to Check, Space presses it
    tab_to(page, "article.question[data-type=single] input[type=radio]")
    card = page.locator("article.question[data-type=single]").first
    item = items[card.get_attribute("data-uid")]
    page.keyboard.press("ArrowDown")       # moves to and selects the next option
    chosen = page.evaluate("() => Number(document.activeElement.value)")
    tab_to(page, "article.question[data-type=single] button.check")
    page.keyboard.press("Space")
    expected = "Correct" if item.choices[chosen].correct else "Not quite"
    assert card.locator("[role=status]").inner_text().startswith(expected)
    assert card.locator("details.explanation").is_visible()
    assert page.problems == []


@pytest.mark.slow
def test_report_passes_axe(browser, sample_class, axe_script):
    summary, _ = sample_class
    page = open_page(browser, summary.report.as_uri())
    assert_no_violations(page, axe_script, "report.html")


@pytest.mark.slow
def test_packet_pages_pass_axe(browser, sample_class, axe_script):
    _, out = sample_class
    packet = make_packet("coin_mle", out, root=ROOT)
    assert packet.pages
    for path in packet.pages:
        page = open_page(browser, path.as_uri())
        assert_no_violations(page, axe_script, path.name)
        page.close()


@pytest.mark.slow
def test_regrade_page_passes_axe_and_links_back(browser, sample_class, axe_script, tmp_path):
    """regrade.html over the sample class, as if every case of q2 had flipped and one submission were new."""
    from dataclasses import replace

    from autograder import regrade, results

    _, out = sample_class
    after = results.load_all(out)
    before = {r.submission: replace(r, cases=[replace(c, passed=not c.passed) if c.question == "q2" else c
                                              for c in r.cases],
                                    questions={**r.questions, "q2": replace(r.questions["q2"], score=0.0)})
              for r in after[1:] if "q2" in r.questions}
    changes = regrade.compare(before, after)
    assert len(changes) > 1 and any(c.before is None for c in changes)
    report = regrade.write_regrade(tmp_path, changes, assignment="coin_mle")
    page = open_page(browser, report.html.as_uri())
    assert_no_violations(page, axe_script, "regrade.html")
    page.locator("thead th").nth(5).locator("button").press("Enter")  # sort by change, by keyboard
    assert_no_violations(page, axe_script, "regrade.html sorted")
    assert page.locator("a[href='report.html']").count() == 1
    assert page.problems == []

"""practice.html: self-contained, and in headless Chromium it checks answers, explains slips and renders the math."""

from __future__ import annotations

import json
import re

import pytest

from quizzes.exporters.common import plain_decimal

from browser import ARTIFACTS, open_page, screenshot

# MathML drawn as mathematics in what is on screen: every formula has a size, fractions are stacked.
VISIBLE_MATH = """() => {
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const maths = Array.from(document.querySelectorAll('article.question .stem math, .feedback:not([hidden]) math'));
  const fractions = Array.from(document.querySelectorAll('.stem mfrac, .feedback:not([hidden]) mfrac'))
    .filter(f => f.children.length === 2);
  const stacked = fractions.filter(f => f.children[0].getBoundingClientRect().bottom <=
                                        f.children[1].getBoundingClientRect().top + 1);
  return {maths: maths.length, sized: maths.filter(shown).length, fractions: fractions.length,
          stacked: stacked.length, fallbacks: document.querySelectorAll('code.tex').length};
}"""


def js_points(x: float) -> str:
    """How the page prints points (JavaScript's String(Math.round(x * 100) / 100))."""
    rounded = round(x * 100) / 100
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def test_practice_page_is_one_self_contained_file(exports, practice_items):
    bank_items = practice_items
    text = exports["html"].read_text(encoding="utf-8")
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", text), "nothing may load from the network"
    assert "mathjax" not in text.lower() and "katex" not in text.lower()
    data = json.loads(re.search(r'<script type="application/json" id="quiz-data">(.*?)</script>', text,
                                re.DOTALL).group(1))
    variants = {v["uid"]: v for t in data["templates"] for v in t["variants"]}
    assert set(variants) == {e.uid for e in bank_items}, "every variant of every template is in the page"
    assert all("<math" in variants[e.uid]["stem"] for e in bank_items if "\\(" in e.stem)
    assert "</script" not in text.split('id="quiz-data">', 1)[1].split("</script>", 1)[0]


@pytest.mark.browser
def test_practice_page_in_chromium(browser, exports, practice_items):
    bank_items = practice_items
    items = {entry.uid: entry for entry in bank_items}
    page = open_page(browser, exports["html"].as_uri())
    cards = page.locator("article.question")
    templates = {entry.template: entry.points for entry in bank_items}
    assert cards.count() == len(templates)
    assert page.locator("#scorebar").inner_text() == \
        f"Answered 0 of {len(templates)} · 0 of {js_points(sum(templates.values()))} points"

    # 1. a numerical question answered right
    right_card = page.locator("article.question[data-type=num]").first
    right_item = items[right_card.get_attribute("data-uid")]
    right_card.locator("input.num-input").fill(plain_decimal(round(right_item.answer + right_item.tolerance / 2, 12)))
    right_card.locator("button.check").click()
    verdict = right_card.locator(".verdict")
    assert verdict.inner_text() == f"Correct: {js_points(right_item.points)} of {js_points(right_item.points)} " \
                                   f"point{'' if right_item.points == 1 else 's'}."
    assert right_card.locator("details.explanation").is_visible()

    # 2. a single-choice question answered with a distractor: its feedback and misconception show
    wrong_card = page.locator("article.question[data-type=single]").first
    wrong_item = items[wrong_card.get_attribute("data-uid")]
    pick = next(i for i, c in enumerate(wrong_item.choices) if not c.correct)
    wrong_card.locator("input[type=radio]").nth(pick).check()
    wrong_card.locator("button.check").click()
    assert wrong_card.locator(".verdict").inner_text().startswith("Not quite: 0 of")
    diagnosis = wrong_card.locator(".misconception-feedback")
    assert diagnosis.is_visible() and wrong_item.choices[pick].misconception in diagnosis.inner_text()
    assert wrong_card.locator("label.choice.is-wrong").count() == 1
    assert wrong_card.locator("label.choice.is-correct").count() == 1

    # 3. a numerical answer equal to an anticipated slip names that slip
    slip_card = next(card for card in page.locator("article.question[data-type=num]").all()[1:]
                     if items[card.get_attribute("data-uid")].distractors)
    slip_item = items[slip_card.get_attribute("data-uid")]
    slip = slip_item.distractors[0]
    slip_card.locator("input.num-input").fill(plain_decimal(slip.value))
    slip_card.locator("button.check").click()
    assert slip_card.locator(".verdict").inner_text().startswith("Not quite")
    assert slip.misconception in slip_card.locator(".misconception-feedback").inner_text()
    assert slip_card.locator(".reveal").inner_text().startswith("The answer is ")

    # 4. not a number: a hint, nothing scored
    bad_card = page.locator("article.question[data-type=num]").nth(1)
    if bad_card.get_attribute("data-uid") == slip_card.get_attribute("data-uid"):
        bad_card = page.locator("article.question[data-type=num]").nth(2)
    bad_card.locator("input.num-input").fill("about two")
    bad_card.locator("button.check").click()
    assert bad_card.locator(".invalid").inner_text().startswith("Enter a number")
    assert bad_card.locator("button.check").is_enabled()

    # 5. math is MathML laid out by the browser
    math = page.evaluate(VISIBLE_MATH)
    assert math["maths"] > 20 and math["sized"] == math["maths"], math
    assert math["fractions"] > 0 and math["stacked"] == math["fractions"], math
    assert math["fallbacks"] == 0, "some LaTeX was not converted to MathML"

    # 6. the score so far, then a new variant clears that card and its points
    earned = right_item.points
    total = sum(templates.values())
    assert page.locator("#scorebar").inner_text() == \
        f"Answered 3 of {len(templates)} · {js_points(earned)} of {js_points(total)} points"
    screenshot(page, "practice.png")
    wrong_card.screenshot(path=str(ARTIFACTS / "practice_misconception.png"))
    page.locator("#finish").click()
    assert page.locator("#result .final-score").inner_text().startswith(
        f"Your score: {js_points(earned)} of {js_points(total)} points")
    assert page.locator("#result table.topic-scores tr").count() == len({e.topic for e in bank_items}) + 1
    before = wrong_card.get_attribute("data-uid")
    wrong_card.locator("button.new-variant").click()
    after = wrong_card.get_attribute("data-uid")
    assert after != before and items[after].template == items[before].template
    assert wrong_card.locator(".feedback").is_hidden() and wrong_card.locator("button.check").is_enabled()
    assert page.locator("#scorebar").inner_text().startswith(f"Answered 2 of {len(templates)}")
    assert page.problems == []


"""practice.html: a self-contained, offline practice page for students.

Everything is in the one file: the CSS, the script (practice.js beside this module) and every
variant of every template as JSON data, with the text pre-rendered to HTML and the math to MathML
(``autograder.mathhtml``, which uses latex2mathml from PyPI). Browsers draw MathML natively, so the
page needs no math library, no CDN and no network at all.

The page shows one card per template with one variant at a time; "New variant" swaps in another.
Answers are checked in the page: num answers within the tolerance (a wrong value that matches an
anticipated slip shows that slip's misconception), single/truefalse by the chosen option (with its
feedback), multi with Moodle-style partial credit (+1/k per right option, -1/(n-k) per wrong one,
clamped to 0..1). "Finish" shows the score, overall and per topic.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from xentcore import mathhtml
from quizzes import tolerance
from quizzes.exporters.common import Bank, Group, choice_feedback, plain_decimal
from quizzes.model import Item

ASSETS = Path(__file__).resolve().parent
TOPIC_NAMES = {
    "cross_entropy": "Cross-entropy", "entropy": "Entropy", "frameworks": "Frameworks and numerics",
    "kl_divergence": "KL divergence", "losses": "Loss functions", "mle": "Maximum likelihood",
    "perplexity": "Perplexity", "scoring": "Scoring rules", "soft_targets": "Soft targets",
    "softmax": "Softmax",
}


def topic_name(topic: str) -> str:
    return TOPIC_NAMES.get(topic, topic.replace("_", " ").capitalize())


def _inline(markdown: str) -> str:
    """One line of Markdown as HTML without the paragraph around it."""
    out = mathhtml.render(markdown).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def _variant(item: Item) -> dict:
    choices = []
    for choice in item.choices:
        entry = {"html": _inline(choice.text), "correct": choice.correct, "weight": choice.weight,
                 "misconception": choice.misconception, "feedback": mathhtml.render(choice_feedback(choice))}
        if item.type == "num":
            entry["value"] = choice.value
        choices.append(entry)
    return {"uid": item.uid, "variant": item.variant, "tolerance": item.tolerance, "stem": mathhtml.render(item.stem),
            "explanation": mathhtml.render(item.explanation), "answer": item.answer, "choices": choices}


def _template(group: Group) -> dict:
    return {"id": group.template, "title": group.title, "topic": group.topic, "topicName": topic_name(group.topic),
            "type": group.type, "points": group.points,
            "variants": [_variant(item) for item in group.items]}


def page_groups(bank: Bank) -> list[Group]:
    """Templates in page order: by topic, then by id."""
    return sorted(bank.groups, key=lambda group: (group.topic, group.template))


def page_data(bank: Bank) -> dict:
    return {"title": bank.title, "seed": bank.seed, "templates": [_template(group) for group in page_groups(bank)]}


def _script_json(data: dict) -> str:
    """JSON that is safe inside <script>: no '</' (ends the element) and no '<!--' (changes its parsing)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def render(bank: Bank) -> bytes:
    """The bytes of practice.html for ``bank``."""
    css = (ASSETS / "practice.css").read_text(encoding="utf-8")
    script = (ASSETS / "practice.js").read_text(encoding="utf-8")
    topics = list(dict.fromkeys(group.topic for group in page_groups(bank)))
    nav = "\n".join(f'<li><a href="#topic-{html.escape(topic)}">{html.escape(topic_name(topic))}</a></li>'
                    for topic in topics)
    points = plain_decimal(float(bank.points))
    title = "Practice: cross-entropy, KL divergence and maximum likelihood"
    body = f"""<header class="page-header">
<h1>{html.escape(title)}</h1>
<p class="intro">{len(bank.groups)} questions, one per question template, each with {bank.variants} variants
(press <em>New variant</em> for another). Answers are checked right here: nothing is sent anywhere and the
page works offline. Numerical answers are accepted within {tolerance.RELATIVE:.0%} of the exact value (or within
&plusmn;{tolerance.FLOOR:.4f} when that is wider), so 3 significant figures are always enough.</p>
<nav aria-label="Topics"><ul class="topics">
{nav}
</ul></nav>
<p id="scorebar" class="scorebar" role="status">Answered 0 of {len(bank.groups)} · 0 of {points} points</p>
</header>
<main id="quiz" aria-label="Questions"></main>
<section class="finish" aria-label="Score">
<button type="button" id="finish">Finish and show my score</button>
<button type="button" id="restart">Start again with new variants</button>
<div id="result" class="result" hidden></div>
</section>
<noscript><p class="warning">This page needs JavaScript to show the questions and check answers. It runs
entirely in your browser; nothing is sent anywhere.</p></noscript>
<footer><p>{html.escape(bank.title)} · generated by <code>autograder quiz export</code></p></footer>
<script type="application/json" id="quiz-data">{_script_json(page_data(bank))}</script>
<script>
{script}
</script>"""
    document = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n"
                f"<body>\n{body}\n</body>\n</html>\n")
    return document.encode("utf-8")

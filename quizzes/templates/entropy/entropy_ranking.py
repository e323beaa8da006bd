"""Pick the distribution with the largest entropy among four built to tempt shortcuts."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "entropy_ranking",
    "title": "Which distribution has the most entropy?",
    "topic": "entropy",
    "type": "single",
    "choices": 4,
    "points": 1,
    "covers": ["chapter.ex-entropy-ranking", "chapter.max-entropy", "chapter.entropy"],
}

MARGIN = 0.03   # nats between entropies that must rank clearly


def generate(rng):
    first = sm.integer(rng, 70, 85)
    many = [first / 100] + [c / 100 for c in sm.counts(rng, sm.integer(rng, 4, 5), 100 - first)]
    top = sm.integer(rng, 86, 95)
    return {
        "spread": sm.distribution(rng, 4, grid=100, floor=5, concentration=6.0),   # the answer
        "many": many,                                          # most outcomes, low entropy
        "flat": sm.distribution(rng, 3, grid=100, floor=25, concentration=40.0),  # smallest top probability
        "peaked": [top / 100, round(1 - top / 100, 6)],       # least entropy
    }


def degenerate(params):
    h = {name: im.entropy(params[name]) for name in ("spread", "many", "flat", "peaked")}
    if any(h["spread"] < h[other] + MARGIN for other in ("many", "flat", "peaked")):
        return "the spread distribution does not clearly have the most entropy"
    if any(h["peaked"] > h[other] - MARGIN for other in ("many", "flat")):
        return "the peaked distribution does not clearly have the least entropy"
    if max(params["flat"]) >= min(max(params[n]) for n in ("spread", "many", "peaked")):
        return "the flat distribution does not have the smallest top probability"
    return None


def solve(params):
    return params["spread"]


def distractors(params):
    return [
        (params["many"], "more listed outcomes means more entropy"),
        (params["flat"], "judged by the largest probability alone"),
        (params["peaked"], "ranked backwards (picked the least uncertain)"),
    ]


def choice_text(value, params):
    return mk.m(mk.vec(value))


def render(params):
    return "Which of these distributions has the largest entropy?"


def explain(params):
    lines = [rf"\({mk.vec(params[name])}\): \(H = {mk.f4(im.entropy(params[name]))}\) nats"
             for name in ("spread", "many", "flat", "peaked")]
    return ("Compute each entropy \\(H(p) = -\\sum_i p_i \\ln p_i\\):\n\n" + mk.bullet_list(lines) + "\n\n"
            "Neither the number of listed outcomes nor the largest probability alone decides the ranking: "
            "a distribution over many outcomes can still be concentrated, and a flat distribution over few "
            "outcomes is capped at the log of their number.")

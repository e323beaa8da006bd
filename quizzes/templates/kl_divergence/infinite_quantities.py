"""Select every quantity that is infinite when supports do not match."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "infinite_quantities",
    "title": "Which quantities are infinite?",
    "topic": "kl_divergence",
    "type": "multi",
    "choices": 6,
    "correct": [2, 4],
    "points": 2,
    "covers": ["notes.m-zero-probability", "chapter.kl", "chapter.ex-js", "notebook.support"],
}

QUANTITIES = ("kl_pq", "kl_qp", "ce_pq", "ce_qp", "h_p", "h_q", "js")
TEX = {"kl_pq": r"D_{\mathrm{KL}}(p\,\|\,q)", "kl_qp": r"D_{\mathrm{KL}}(q\,\|\,p)", "ce_pq": "H(p, q)",
       "ce_qp": "H(q, p)", "h_p": "H(p)", "h_q": "H(q)", "js": r"\mathrm{JS}(p, q)"}


def _with_zero(rng, k, at):
    rest = sm.distribution(rng, k - 1, floor=2)
    return rest[:at] + [0.0] + rest[at:]


def generate(rng):
    k = 4
    both = sm.coin(rng)
    i, j = (int(v) for v in rng.choice(k, size=2, replace=False))
    q = _with_zero(rng, k, j)
    p = _with_zero(rng, k, i) if both else sm.distribution(rng, k, floor=2)
    values = {name: _value(name, p, q) for name in QUANTITIES}
    infinite = [n for n in QUANTITIES if math.isinf(values[n])]
    finite = [n for n in QUANTITIES if not math.isinf(values[n])]
    shown = infinite + sm.sample(rng, finite, 6 - len(infinite))
    return {"p": p, "q": q, "shown": sorted(shown, key=QUANTITIES.index)}


def _value(name, p, q):
    return {"kl_pq": im.kl, "kl_qp": lambda a, b: im.kl(b, a), "ce_pq": im.cross_entropy,
            "ce_qp": lambda a, b: im.cross_entropy(b, a), "h_p": lambda a, b: im.entropy(a),
            "h_q": lambda a, b: im.entropy(b), "js": im.js}[name](p, q)


def solve(params):
    return [n for n in params["shown"] if math.isinf(_value(n, params["p"], params["q"]))]


def _tag(name, params):
    if name == "kl_qp":
        return mc.KL_SWAPPED
    if name == "ce_qp":
        return mc.CE_SWAPPED
    if name == "js":
        return "thinks JS inherits KL's infinities (JS never exceeds ln 2)"
    own = params["p"] if name == "h_p" else params["q"]
    if 0.0 in own:
        return f"forgot that 0 log 0 = 0 in {'H(p)' if name == 'h_p' else 'H(q)'}"
    return "thinks one support mismatch makes every quantity infinite"


def distractors(params):
    infinite = set(solve(params))
    return [(n, _tag(n, params)) for n in params["shown"] if n not in infinite]


def choice_text(value, params):
    return mk.m(TEX[value])


def render(params):
    return (rf"Let \(p = {mk.vec(params['p'])}\) and \(q = {mk.vec(params['q'])}\). Select every quantity "
            "below that is infinite (all in nats).")


def explain(params):
    p, q = params["p"], params["q"]
    lines = []
    for name in params["shown"]:
        value = _value(name, p, q)
        shown = r"+\infty" if math.isinf(value) else mk.f4(value)
        lines.append(rf"\({TEX[name]} = {shown}\)")
    return ("A cross-entropy or KL divergence is infinite exactly when its second argument is 0 somewhere "
            "its first argument is positive. Entropies stay finite because \\(0 \\ln 0 = 0\\), and the "
            "Jensen-Shannon divergence compares each distribution with their average, which is never 0 where "
            "either is positive, so it stays at most \\(\\ln 2\\).\n\n" + mk.bullet_list(lines))

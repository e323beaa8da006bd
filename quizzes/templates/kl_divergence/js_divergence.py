"""Jensen-Shannon divergence: symmetric and bounded by ln 2, finite even when KL is not."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "js_divergence",
    "title": "Jensen-Shannon divergence",
    "topic": "kl_divergence",
    "type": "num",
    "points": 2,
    "covers": ["chapter.ex-js"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    p = sm.distribution(rng, k)
    if sm.integer(rng, 0, 2) == 0:      # a zero in q: KL is infinite but JS is not
        at = sm.integer(rng, 0, k - 1)
        rest = sm.distribution(rng, k - 1)
        return {"p": p, "q": rest[:at] + [0.0] + rest[at:]}
    return {"p": p, "q": sm.distribution(rng, k)}


def degenerate(params):
    return "p equals q" if params["p"] == params["q"] else None


def _mid(params):
    return [(a + b) / 2 for a, b in zip(params["p"], params["q"])]


def solve(params):
    return im.js(params["p"], params["q"])


def distractors(params):
    p, q, m = params["p"], params["q"], _mid(params)
    options = [
        (0.5 * im.kl(p, m), "dropped the KL(q || m) half"),
        (im.kl(p, m) + im.kl(q, m), "forgot the 1/2 weights"),
        (solve(params) / im.LN2, mc.LOG2),
    ]
    symmetrised = 0.5 * (im.kl(p, q) + im.kl(q, p))
    if symmetrised != float("inf"):
        options.append((symmetrised, "averaged KL(p||q) and KL(q||p) instead of comparing each with the mixture"))
    return options


def render(params):
    return (rf"Let \(p = {mk.vec(params['p'])}\) and \(q = {mk.vec(params['q'])}\). Compute the Jensen-Shannon "
            r"divergence \(\mathrm{JS}(p, q) = \tfrac12 D_{\mathrm{KL}}(p\,\|\,m) + \tfrac12 D_{\mathrm{KL}}(q\,\|\,m)\)"
            r" with \(m = (p + q)/2\), in nats.")


def explain(params):
    p, q, m = params["p"], params["q"], _mid(params)
    mid = "(" + ", ".join(mk.num(round(v, 6)) for v in m) + ")"
    first = rf"D_{{\mathrm{{KL}}}}(p\,\|\,m) = {mk.f4(im.kl(p, m))},\quad D_{{\mathrm{{KL}}}}(q\,\|\,m) = {mk.f4(im.kl(q, m))}"
    return (rf"The mixture is \(m = {mid}\), positive wherever \(p\) or \(q\) is." + mk.dm(first)
            + rf"So \(\mathrm{{JS}} = {mk.f4(solve(params))}\) nats. It is symmetric in \(p, q\) and never exceeds "
            r"\(\ln 2 \approx 0.6931\), even when a KL divergence between \(p\) and \(q\) is infinite.")

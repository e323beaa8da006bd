"""True or false: the KL divergence is zero, for a q given as counts (KL = 0 exactly when p = q)."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "kl_zero",
    "title": "When is KL zero?",
    "topic": "kl_divergence",
    "type": "truefalse",
    "points": 1,
    "covers": ["chapter.ex-gibbs-equality", "chapter.gibbs", "notes.m-normalisation"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    base = sm.counts(rng, k, 20, floor=2)
    scale = sm.pick(rng, [2, 3, 5])
    counts = [c * scale for c in base]
    if sm.coin(rng):      # move one count between two outcomes: q no longer equals p
        i, j = sm.sample(rng, list(range(k)), 2)
        counts[i] += scale
        counts[j] -= scale
    return {"p": [round(c / 20, 6) for c in base], "counts": counts}


def _q(params):
    total = sum(params["counts"])
    return [c / total for c in params["counts"]]


def solve(params):
    return max(abs(a - b) for a, b in zip(params["p"], _q(params))) < 1e-12


def distractors(params):
    if solve(params):
        return [(False, "did not normalise the counts, so missed that q equals p")]
    return [(True, "thinks KL can be 0 for distributions that differ, when it is only small")]


def render(params):
    return (rf"Let \(p = {mk.vec(params['p'])}\) and let \(q\) be the normalised counts "
            rf"\({mk.vec(params['counts'])}\). True or false: \(D_{{\mathrm{{KL}}}}(p\,\|\,q) = 0\).")


def explain(params):
    q = _q(params)
    verdict = "true" if solve(params) else "false"
    return (rf"The statement is {verdict}. Normalising the counts gives \(q = {mk.vec4(q)}\). By Gibbs' inequality "
            r"\(D_{\mathrm{KL}}(p\,\|\,q) \ge 0\) with equality exactly when \(p = q\); here "
            rf"\(D_{{\mathrm{{KL}}}}(p\,\|\,q) = {mk.small(im.kl(params['p'], q))}\) nats.")

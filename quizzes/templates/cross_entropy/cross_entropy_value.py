"""Cross-entropy between two small distributions."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "cross_entropy_value",
    "title": "Cross-entropy of two distributions",
    "topic": "cross_entropy",
    "type": "num",
    "points": 1,
    "covers": ["chapter.cross-entropy", "notes.f-cross-entropy", "notes.f-expectation", "lesson.coding-view"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"p": sm.distribution(rng, k), "q": sm.distribution(rng, k),
            "unit": sm.pick(rng, ["nats", "nats", "bits"])}


def degenerate(params):
    return "p equals q" if params["p"] == params["q"] else None


def solve(params):
    return im.in_unit(im.cross_entropy(params["p"], params["q"]), params["unit"])


def distractors(params):
    p, q, unit = params["p"], params["q"], params["unit"]
    return [
        (im.in_unit(im.cross_entropy(q, p), unit), mc.CE_SWAPPED),
        (im.in_unit(im.entropy(p), unit), mc.ENTROPY_ONLY),
        (im.in_unit(im.kl(p, q), unit), mc.KL_FOR_CE),
        mc.in_wrong_unit(im.cross_entropy(p, q), unit),
    ]


def render(params):
    return (rf"Outcomes follow \(p = {mk.vec(params['p'])}\), but a model predicts "
            rf"\(q = {mk.vec(params['q'])}\). Compute the cross-entropy \(H(p, q)\) in {params['unit']}.")


def explain(params):
    p, q, unit = params["p"], params["q"], params["unit"]
    log = mk.unit_log(unit)
    worked = rf"H(p,q) = -({mk.p_log_terms(p, q, log)}) = {mk.f4(solve(params))}"
    return (rf"\(H(p,q) = -\sum_i p_i {log} q_i\): average over the true distribution \(p\) the surprisal "
            r"under the model \(q\)." + mk.dm(worked)
            + rf"Check: \(H(p) = {mk.f4(im.in_unit(im.entropy(p), unit))}\) and "
            rf"\(D_{{\mathrm{{KL}}}}(p\,\|\,q) = {mk.f4(im.in_unit(im.kl(p, q), unit))}\) add up to it, "
            "and the order of the arguments matters.")

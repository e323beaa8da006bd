"""True or false: claims about the entropy of a concrete distribution."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "entropy_facts",
    "title": "Entropy: true or false",
    "topic": "entropy",
    "type": "truefalse",
    "points": 1,
    "covers": ["chapter.entropy", "chapter.max-entropy", "notes.m-log-base"],
}

FAMILIES = ("zero_outcome", "log_bound", "units", "reorder")
TAGS = {
    "zero_outcome": "thinks an impossible outcome adds uncertainty (0 log 0 = 0)",
    "log_bound": "misapplied the ln n bound on entropy",
    "units": "mixed up which unit gives the larger number",
    "reorder": "thinks entropy depends on which outcome gets which probability",
}


ONLY_IN = {"chapter.max-entropy": "log_bound", "notes.m-log-base": "units"}   # sections one family examines


def covers(params):
    return [key for key in META["covers"] if ONLY_IN.get(key, params["family"]) == params["family"]]


def generate(rng):
    p = sm.distribution(rng, sm.integer(rng, 3, 5), grid=20, concentration=3.0)
    family = sm.pick(rng, FAMILIES)
    says = sm.coin(rng)     # which way the claim is worded
    params = {"family": family, "p": p, "says": says}
    if family == "log_bound":
        # says=True: bound by the true number of outcomes; False: by the largest n with ln n < H(p)
        params["n"] = len(p) if says else max(2, math.floor(math.exp(im.entropy(p) - 0.05)))
    if family == "reorder":
        params["q"] = [p[int(i)] for i in rng.permutation(len(p))]
    return params


def degenerate(params):
    if params["family"] == "log_bound" and not params["says"] and \
            im.entropy(params["p"]) <= math.log(params["n"]) + 0.05:
        return "no n >= 2 with ln n clearly below H(p)"
    if params["family"] == "reorder" and params["q"] == params["p"]:
        return "the reordering left p unchanged"
    return None


def solve(params):
    p, family, says = params["p"], params["family"], params["says"]
    h = im.entropy(p)
    if family == "zero_outcome":
        changes = abs(im.entropy(p + [0.0]) - h) > 1e-12
        return changes == says
    if family == "log_bound":
        return h <= math.log(params["n"])
    if family == "units":
        larger_in_bits = h / im.LN2 > h
        return larger_in_bits == says
    changes = abs(im.entropy(params["q"]) - h) > 1e-12
    return changes == says


def distractors(params):
    return [(not solve(params), TAGS[params["family"]])]


def render(params):
    p = mk.vec(params["p"])
    family, says = params["family"], params["says"]
    effect = "changes the entropy" if says else "leaves the entropy unchanged"
    if family == "zero_outcome":
        claim = rf"appending one more outcome with probability 0, giving \(({p[1:-1]}, 0)\), {effect}."
    elif family == "log_bound":
        claim = rf"\(H(p) \le \ln {params['n']}\)."
    elif family == "units":
        size = "larger" if says else "smaller"
        claim = rf"written in bits, \(H(p)\) is a {size} number than written in nats."
    else:
        claim = rf"reordering the probabilities to \(q = {mk.vec(params['q'])}\) {effect}."
    return rf"Let \(p = {p}\). True or false: {claim}"


def explain(params):
    p, family = params["p"], params["family"]
    h = im.entropy(p)
    verdict = "true" if solve(params) else "false"
    if family == "zero_outcome":
        reason = (r"An outcome of probability 0 adds the term \(0 \ln 0 = 0\), so the entropy is unchanged "
                  rf"at \({mk.f4(h)}\) nats.")
    elif family == "log_bound":
        reason = (rf"\(H(p) = {mk.f4(h)}\) nats and \(\ln {params['n']} = {mk.f4(math.log(params['n']))}\). "
                  rf"Only \(\ln n\) for the actual number of outcomes ({len(p)}) is guaranteed to bound it.")
    elif family == "units":
        reason = (rf"\(H(p) = {mk.f4(h)}\) nats \(= {mk.f4(h / im.LN2)}\) bits: dividing by "
                  r"\(\ln 2 < 1\) makes the number larger, because a nat is a larger unit than a bit "
                  r"(\(1\text{ nat} \approx 1.4427\) bits).")
    else:
        reason = (rf"Entropy only depends on the multiset of probabilities: \(H(q) = H(p) = {mk.f4(h)}\) nats.")
    return f"The statement is {verdict}. {reason}"

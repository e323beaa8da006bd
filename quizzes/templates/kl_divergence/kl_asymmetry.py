"""How different are the two KL directions? Never drawn with mirror-image p and q."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "kl_asymmetry",
    "title": "The two directions of KL",
    "topic": "kl_divergence",
    "type": "num",
    "points": 2,
    "covers": ["chapter.kl-asymmetry"],
}

MIN_GAP = 0.05   # nats between the directions, so the asymmetry is visible at the tolerance


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"p": sm.distribution(rng, k, concentration=0.8), "q": sm.distribution(rng, k, concentration=0.8)}


def degenerate(params):
    p, q = params["p"], params["q"]
    if sorted(p) == sorted(q):
        # a permutation (mirror images included) can make both directions equal
        return "q is a rearrangement of p"
    if abs(im.kl(p, q) - im.kl(q, p)) < MIN_GAP:
        return "the two directions are nearly equal"
    return None


def solve(params):
    return im.kl(params["p"], params["q"]) - im.kl(params["q"], params["p"])


def distractors(params):
    forward, reverse = im.kl(params["p"], params["q"]), im.kl(params["q"], params["p"])
    return [
        (0.0, mc.KL_SYMMETRIC),
        (reverse - forward, mc.KL_SWAPPED),
        (forward + reverse, "added the two directions"),
    ]


def render(params):
    return (rf"Let \(p = {mk.vec(params['p'])}\) and \(q = {mk.vec(params['q'])}\). Compute "
            r"\(D_{\mathrm{KL}}(p\,\|\,q) - D_{\mathrm{KL}}(q\,\|\,p)\) in nats.")


def explain(params):
    p, q = params["p"], params["q"]
    forward = rf"D_{{\mathrm{{KL}}}}(p\,\|\,q) = {mk.p_log_ratio_terms(p, q)} = {mk.f4(im.kl(p, q))}"
    reverse = rf"D_{{\mathrm{{KL}}}}(q\,\|\,p) = {mk.p_log_ratio_terms(q, p)} = {mk.f4(im.kl(q, p))}"
    return ("Each direction weights the log-ratios by its own first argument:" + mk.dm(forward) + mk.dm(reverse)
            + rf"The difference is \({mk.f4(solve(params))}\) nats. KL is not symmetric; a pair such as "
            r"\(p = (0.4, 0.3, 0.2, 0.1)\) with its mirror image \(q = (0.1, 0.2, 0.3, 0.4)\) happens to give "
            "equal directions, so it cannot demonstrate the asymmetry.")

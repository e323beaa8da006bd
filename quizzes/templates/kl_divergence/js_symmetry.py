"""True or false: swapping p and q leaves the divergence unchanged (JS yes, KL no)."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "js_symmetry",
    "title": "Symmetry of JS and KL",
    "topic": "kl_divergence",
    "type": "truefalse",
    "points": 1,
    "covers": ["chapter.ex-js", "chapter.kl-asymmetry"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"p": sm.distribution(rng, k), "q": sm.distribution(rng, k),
            "divergence": sm.pick(rng, ["js", "kl"])}


def degenerate(params):
    p, q = params["p"], params["q"]
    if sorted(p) == sorted(q):
        return "q rearranges p: KL happens to be symmetric there"
    if abs(im.kl(p, q) - im.kl(q, p)) < 0.01:
        return "the two KL directions nearly agree"
    return None


def solve(params):
    return params["divergence"] == "js"


def distractors(params):
    if params["divergence"] == "js":
        return [(False, "thinks JS is asymmetric like KL (it compares both to the same mixture)")]
    return [(True, mc.KL_SYMMETRIC)]


def render(params):
    name = r"D_{\mathrm{JS}}" if params["divergence"] == "js" else r"D_{\mathrm{KL}}"
    return (rf"Let \(p = {mk.vec(params['p'])}\) and \(q = {mk.vec(params['q'])}\). True or false: "
            rf"\({name}(p\,\|\,q) = {name}(q\,\|\,p)\).")


def explain(params):
    p, q = params["p"], params["q"]
    verdict = "true" if solve(params) else "false"
    return (rf"The statement is {verdict}. With \(m = \tfrac12(p + q)\), "
            r"\(D_{\mathrm{JS}}(p\,\|\,q) = \tfrac12 D_{\mathrm{KL}}(p\,\|\,m) + \tfrac12 D_{\mathrm{KL}}(q\,\|\,m)\) "
            r"is unchanged when \(p\) and \(q\) swap places (both sides are "
            rf"\({mk.f4(im.js(p, q))}\) nats), while \(D_{{\mathrm{{KL}}}}(p\,\|\,q) = {mk.f4(im.kl(p, q))}\) "
            rf"but \(D_{{\mathrm{{KL}}}}(q\,\|\,p) = {mk.f4(im.kl(q, p))}\) nats.")

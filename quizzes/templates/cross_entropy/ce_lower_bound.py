"""True or false: cross-entropy facts checked on concrete distributions."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "ce_lower_bound",
    "title": "Cross-entropy identities: true or false",
    "topic": "cross_entropy",
    "type": "truefalse",
    "points": 1,
    "covers": ["notes.f-lower-bound", "notebook.closing", "notebook.ce-vs-entropy", "chapter.cross-entropy"],
}

FAMILIES = ("lower_bound", "decomposition", "symmetry")
# sections only the lower_bound family examines; the others are examined by every family
ONLY_IN = {"notes.f-lower-bound": "lower_bound", "notebook.ce-vs-entropy": "lower_bound"}


def covers(params):
    return [key for key in META["covers"] if ONLY_IN.get(key, params["family"]) == params["family"]]
TAGS = {
    "lower_bound": "reversed Gibbs' inequality (cross-entropy never falls below entropy)",
    "decomposition": "subtracted the entropy of the wrong distribution",
    "symmetry": "thinks cross-entropy is symmetric",
}
CLAIMS = {
    ("lower_bound", True): r"\(H(p, q) \ge H(p)\).",
    ("lower_bound", False): r"\(H(p, q) < H(p)\).",
    ("decomposition", True): r"\(H(p, q) - H(p) = D_{\mathrm{KL}}(p\,\|\,q)\).",
    ("decomposition", False): r"\(H(p, q) - H(q) = D_{\mathrm{KL}}(p\,\|\,q)\).",
    ("symmetry", True): r"\(H(p, q) \ne H(q, p)\).",
    ("symmetry", False): r"\(H(p, q) = H(q, p)\).",
}
GAP = 0.01   # smallest difference the claims may rely on


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"p": sm.distribution(rng, k), "q": sm.distribution(rng, k), "family": sm.pick(rng, FAMILIES),
            "says": sm.coin(rng)}


def degenerate(params):
    p, q = params["p"], params["q"]
    if abs(im.cross_entropy(p, q) - im.cross_entropy(q, p)) < GAP or abs(im.entropy(p) - im.entropy(q)) < GAP:
        return "p and q too alike for the claims to be clear-cut"
    return None


def solve(params):
    p, q, family, says = params["p"], params["q"], params["family"], params["says"]
    ce = im.cross_entropy(p, q)
    if family == "lower_bound":
        holds = ce >= im.entropy(p)
        return holds if says else not holds
    if family == "decomposition":
        subtracted = im.entropy(p) if says else im.entropy(q)
        return abs(ce - subtracted - im.kl(p, q)) < 1e-9
    differ = abs(ce - im.cross_entropy(q, p)) > 1e-9
    return differ if says else not differ


def distractors(params):
    return [(not solve(params), TAGS[params["family"]])]


def render(params):
    return (rf"Let \(p = {mk.vec(params['p'])}\) and \(q = {mk.vec(params['q'])}\). True or false: "
            + CLAIMS[(params["family"], params["says"])])


def explain(params):
    p, q = params["p"], params["q"]
    values = (rf"Here \(H(p) = {mk.f4(im.entropy(p))}\), \(H(q) = {mk.f4(im.entropy(q))}\), "
              rf"\(H(p,q) = {mk.f4(im.cross_entropy(p, q))}\), \(H(q,p) = {mk.f4(im.cross_entropy(q, p))}\) and "
              rf"\(D_{{\mathrm{{KL}}}}(p\,\|\,q) = {mk.f4(im.kl(p, q))}\) nats.")
    verdict = "true" if solve(params) else "false"
    return (f"The statement is {verdict}. {values} In general \\(H(p,q) = H(p) + D_{{\\mathrm{{KL}}}}(p\\,\\|\\,q)"
            " \\ge H(p)\\), with the entropy of the first argument, and swapping the arguments changes the value.")

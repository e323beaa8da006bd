"""H(p, q) = H(p) + KL(p || q) with the pieces given in different units."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "decomposition",
    "title": "Cross-entropy = entropy + KL, across units",
    "topic": "cross_entropy",
    "type": "num",
    "points": 1,
    "covers": ["notes.f-decomposition", "lesson.decomposition", "notebook.decomposition", "chapter.kl",
               "notes.m-log-base"],
}


def generate(rng):
    h_bits = sm.uniform(rng, 0.5, 3.0, 2)
    if sm.coin(rng):
        return {"ask": "ce", "h_bits": h_bits, "kl_nats": sm.uniform(rng, 0.05, 1.5, 2)}
    ce = round(h_bits * im.LN2 + sm.uniform(rng, 0.05, 1.5, 2), 2)
    return {"ask": "kl", "h_bits": h_bits, "ce_nats": ce}


def solve(params):
    h = params["h_bits"] * im.LN2
    return h + params["kl_nats"] if params["ask"] == "ce" else params["ce_nats"] - h


def distractors(params):
    h_bits = params["h_bits"]
    if params["ask"] == "ce":
        kl = params["kl_nats"]
        return [
            (h_bits + kl, "added bits to nats without converting"),
            (h_bits * im.LN2 - kl, "subtracted the KL term"),
            (h_bits / im.LN2 + kl, "used the ln 2 factor the wrong way round"),
        ]
    ce = params["ce_nats"]
    return [
        (ce - h_bits, "subtracted bits from nats without converting"),
        (ce + h_bits * im.LN2, "added the entropy instead of subtracting it"),
        (ce - h_bits / im.LN2, "used the ln 2 factor the wrong way round"),
    ]


def render(params):
    entropy = rf"the entropy of the data distribution is \(H(p) = {mk.num(params['h_bits'])}\) bits"
    if params["ask"] == "ce":
        return (f"For a model \\(q\\), {entropy} and \\(D_{{\\mathrm{{KL}}}}(p\\,\\|\\,q) = "
                f"{mk.num(params['kl_nats'])}\\) nats. What is the cross-entropy \\(H(p, q)\\) in nats?")
    return (f"For a model \\(q\\), {entropy} and the cross-entropy is \\(H(p, q) = {mk.num(params['ce_nats'])}\\) "
            "nats. What is \\(D_{\\mathrm{KL}}(p\\,\\|\\,q)\\) in nats?")


def explain(params):
    h = params["h_bits"] * im.LN2
    first = (rf"Convert first: \({mk.num(params['h_bits'])}\text{{ bits}} \times \ln 2 = {mk.f4(h)}\) nats. "
             r"Then use \(H(p,q) = H(p) + D_{\mathrm{KL}}(p\,\|\,q)\):")
    if params["ask"] == "ce":
        worked = rf"H(p,q) = {mk.f4(h)} + {mk.num(params['kl_nats'])} = {mk.f4(solve(params))}\text{{ nats}}"
    else:
        worked = (rf"D_{{\mathrm{{KL}}}}(p\,\|\,q) = H(p,q) - H(p) = {mk.num(params['ce_nats'])} - {mk.f4(h)}"
                  rf" = {mk.f4(solve(params))}\text{{ nats}}")
    return first + mk.dm(worked) + "Both terms must be in the same unit before they are added or subtracted."

"""Where the cross-entropy loss of softmax(z / T) goes as T -> 0 or T -> infinity (the course's exercise 5).

temperature_limits asks about the softmax itself; this asks about the loss, whose T -> 0 limit depends
on whether the true class holds the largest logit.
"""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "temperature_loss_limits",
    "title": "Temperature limits of the loss",
    "topic": "softmax",
    "type": "single",
    "choices": 4,
    "points": 1,
    "covers": ["course.temperature", "chapter.ex-zero-temperature", "lesson.temperature-uses"],
}

K = 4
OPTIONS = ("zero", "log_k", "infinite", "unchanged")
UNCHANGED = "thinks the temperature leaves the loss unchanged"
TAGS = {   # (limit, answer) -> {wrong option: the slip that leads to it}
    ("zero", "zero"): {"log_k": "swapped the limits: ln K is the T -> infinity limit",
                       "infinite": "thinks a low temperature blows up the loss even for the top class"},
    ("zero", "infinite"): {"zero": "thinks a low temperature drives every class's loss to 0",
                           "log_k": "swapped the limits: ln K is the T -> infinity limit"},
    ("infinity", "log_k"): {"zero": "thinks a high temperature makes the model certain",
                            "infinite": "swapped the limits: only T -> 0 can make the loss blow up"},
}


def generate(rng):
    z = sm.grid_values(rng, K, -2.0, 3.0, 0.5)
    limit = sm.pick(rng, ["zero", "infinity"])
    top = z.index(max(z))
    others = [i for i in range(K) if i != top]
    # in the T -> 0 limit the true class is the argmax half the time, so both answers occur
    label = top if sm.coin(rng) else sm.pick(rng, others)
    return {"z": z, "label": label, "limit": limit}


def _loss_at_1(params):
    return -im.log_softmax(params["z"])[params["label"]]


def solve(params):
    if params["limit"] == "infinity":
        return "log_k"
    return "zero" if params["z"][params["label"]] == max(params["z"]) else "infinite"


def distractors(params):
    tags = dict(TAGS[(params["limit"], solve(params))])
    tags["unchanged"] = UNCHANGED
    return [(key, tags[key]) for key in OPTIONS if key in tags]


def choice_text(value, params):
    return {"zero": mk.m("0"), "log_k": mk.m(rf"\ln {K} \approx {mk.f4(math.log(K))}"),
            "infinite": mk.m(r"+\infty"),
            "unchanged": mk.m(rf"{mk.f4(_loss_at_1(params))}") + ", its value at \\(T = 1\\)"}[value]


def render(params):
    limit = r"T \to 0^+" if params["limit"] == "zero" else r"T \to \infty"
    return (rf"A {K}-class model has logits \(z = {mk.vec(params['z'])}\) and the true class is the one with logit "
            rf"\({mk.num(params['z'][params['label']])}\). What does the cross-entropy loss "
            rf"\(L(T) = -\ln \mathrm{{softmax}}(z/T)_y\) tend to as \({limit}\)?")


def explain(params):
    z, y = params["z"], params["label"]
    top = max(z)
    if params["limit"] == "infinity":
        return (r"As \(T \to \infty\) every \(z_j/T \to 0\), so the softmax tends to the uniform distribution and "
                rf"\(L \to -\ln(1/{K}) = \ln {K} \approx {mk.f4(math.log(K))}\), whatever the logits.")
    gap = top - z[y]
    if gap == 0:
        return (r"Write \(L(T) = \ln\sum_j e^{(z_j - z_y)/T}\). The true class holds the largest logit, so every "
                r"other exponent \((z_j - z_y)/T \to -\infty\) and \(L \to \ln 1 = 0\): the model becomes "
                "certain of the right class.")
    return (r"Write \(L(T) = \ln\sum_j e^{(z_j - z_y)/T} \ge (z_{\max} - z_y)/T\). Here "
            rf"\(z_{{\max}} - z_y = {mk.num(gap)} > 0\), so \(L(T)\) grows without bound as \(T \to 0^+\): the "
            "model becomes certain of a wrong class.")

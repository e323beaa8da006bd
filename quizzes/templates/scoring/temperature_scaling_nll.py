"""Validation NLL of a classifier after dividing its logits by a temperature."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "temperature_scaling_nll",
    "title": "Temperature scaling and validation NLL",
    "topic": "scoring",
    "type": "num",
    "points": 2,
    "covers": ["notebook.calibration"],
}


def generate(rng):
    rows = [sm.grid_values(rng, 3, -1.0, 4.0, 0.5) for _ in range(3)]
    return {"logits": rows, "labels": [sm.integer(rng, 0, 2) for _ in rows],
            "T": sm.pick(rng, [0.5, 1.5, 2.0, 3.0])}


def _nll(params, t):
    return [-im.log_softmax(z, t)[y] for z, y in zip(params["logits"], params["labels"])]


def solve(params):
    losses = _nll(params, params["T"])
    return sum(losses) / len(losses)


def distractors(params):
    plain = _nll(params, 1.0)
    t = params["T"]
    times = [-im.log_softmax([v * t for v in z])[y] for z, y in zip(params["logits"], params["labels"])]
    return [
        (sum(plain) / len(plain), mc.NO_TEMPERATURE),
        (sum(times) / len(times), mc.TIMES_T),
        (sum(_nll(params, t)), mc.SUM_FOR_MEAN),
    ]


def render(params):
    rows = "\n".join(f"- logits \\({mk.vec(z)}\\), true class {y + 1}"
                     for z, y in zip(params["logits"], params["labels"]))
    return (f"A classifier's validation set has three examples:\n\n{rows}\n\nAfter temperature scaling with "
            rf"\(T = {mk.num(params['T'])}\) (every logit divided by \(T\)), what is the mean negative "
            "log-likelihood, in nats?")


def explain(params):
    losses = _nll(params, params["T"])
    parts = ", ".join(mk.f4(v) for v in losses)
    return (rf"Per example, \(-\ln\mathrm{{softmax}}(z/T)_y = \ln\sum_j e^{{z_j/T}} - z_y/T\), giving {parts}; "
            rf"their mean is {mk.f4(solve(params))}. Temperature scaling never changes which class is predicted, "
            "so accuracy stays the same; it is fitted on validation data to make the probabilities calibrated, "
            "choosing the \\(T\\) with the lowest NLL.")

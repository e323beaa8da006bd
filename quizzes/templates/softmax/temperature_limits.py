"""Where softmax(z / T) goes as T -> 0 or T -> infinity."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "temperature_limits",
    "title": "Temperature limits of softmax",
    "topic": "softmax",
    "type": "single",
    "choices": 4,
    "points": 1,
    "covers": ["chapter.ex-zero-temperature", "chapter.softmax-temperature"],   # the loss: temperature_loss_limits
}

K = 4


def generate(rng):
    return {"z": sm.grid_values(rng, K, -2.0, 3.0, 0.5), "limit": sm.pick(rng, ["zero", "infinity"])}


def _one_hot(params, pick):
    z = params["z"]
    return im.one_hot(z.index(pick(z)), K)


def _plain(params):
    return [round(v, 3) for v in im.softmax(params["z"])]


def solve(params):
    return _one_hot(params, max) if params["limit"] == "zero" else [1 / K] * K


def distractors(params):
    unchanged = "thinks temperature leaves the softmax unchanged"
    if params["limit"] == "zero":
        return [
            ([1 / K] * K, "swapped the limits: uniform is the T -> infinity limit"),
            (_one_hot(params, min), "thinks low temperature favours the smallest logit"),
            (_plain(params), unchanged),
        ]
    return [
        (_one_hot(params, max), "swapped the limits: one-hot is the T -> 0 limit"),
        ([0.0] * K, "thinks every probability vanishes as T grows"),
        (_plain(params), unchanged),
    ]


def choice_text(value, params):
    return mk.m(mk.vec(value))


def render(params):
    limit = r"T \to 0^+" if params["limit"] == "zero" else r"T \to \infty"
    return (rf"For logits \(z = {mk.vec(params['z'])}\), what does \(\mathrm{{softmax}}(z/T)\) tend to as "
            rf"\({limit}\)?")


def explain(params):
    z = params["z"]
    top = z.index(max(z)) + 1
    if params["limit"] == "zero":
        return (rf"Factor out \(e^{{z_{{{top}}}/T}}\) (the largest logit): every other term becomes "
                r"\(e^{(z_j - z_{\max})/T} \to 0\) because \(z_j - z_{\max} < 0\), so all mass goes to class "
                rf"{top}: the one-hot vector at the argmax (a hard decision).")
    return (r"As \(T \to \infty\) every \(z_j/T \to 0\), so every \(e^{z_j/T} \to 1\) and each probability "
            rf"tends to \(1/{K}\): the uniform, maximum-entropy distribution. The probabilities always sum to 1, "
            "so they cannot all vanish.")

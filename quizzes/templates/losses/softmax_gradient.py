"""One component of the softmax cross-entropy gradient with respect to the logits."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "softmax_gradient",
    "title": "Softmax cross-entropy gradient",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["chapter.softmax-gradient", "course.gradient", "notes.f-softmax-gradient", "lesson.softmax-ce",
               "notebook.gradient"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    label = sm.integer(rng, 0, k - 1)
    other = [j for j in range(k) if j != label]
    return {"z": sm.grid_values(rng, k, -2.0, 3.0, 0.5), "label": label,
            "j": label if sm.coin(rng) else sm.pick(rng, other)}


def solve(params):
    p = im.softmax(params["z"])
    j = params["j"]
    return p[j] - (1.0 if j == params["label"] else 0.0)


def distractors(params):
    p = im.softmax(params["z"])
    j, c = params["j"], params["label"]
    options = [(-solve(params), mc.GRADIENT_SIGN)]
    if j == c:
        options += [
            (p[j], "forgot to subtract the one-hot target"),
            (p[j] * (1 - p[j]), "differentiated the softmax output, not the loss"),
            (-1 / p[c], "gave the gradient with respect to the probability, not the logit"),
        ]
    else:
        options += [
            (-p[c] * p[j], "differentiated the softmax output, not the loss"),
            (p[j] - 1, "subtracted 1 for a class that is not the label"),
        ]
    return options


def render(params):
    return (rf"Logits \(z = {mk.vec(params['z'])}\) go through a softmax and cross-entropy with true class "
            f"{params['label'] + 1}. Compute \\(\\partial L/\\partial z_{{{params['j'] + 1}}}\\).")


def explain(params):
    p = im.softmax(params["z"])
    j, c = params["j"], params["label"]
    probs = mk.vec4(p)
    target = 1 if j == c else 0
    worked = rf"\frac{{\partial L}}{{\partial z_{{{j + 1}}}}} = p_{{{j + 1}}} - y_{{{j + 1}}} = {mk.f4(p[j])} - {target} = {mk.f4(solve(params))}"
    return (rf"The softmax probabilities are \(p = {probs}\), and the gradient of softmax cross-entropy is "
            r"\(p - y\) with \(y\) the one-hot label:" + mk.dm(worked)
            + "Predicted minus target: positive for classes the model overrates, negative for the true class.")

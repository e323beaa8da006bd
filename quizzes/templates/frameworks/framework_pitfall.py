"""Which line computes the intended loss from raw logits? (Losses that expect logits, not probabilities.)"""

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm
from quizzes.statements import StatementPool

META = {
    "id": "framework_pitfall",
    "title": "Framework losses and logits",
    "topic": "frameworks",
    "type": "single",
    "choices": 4,
    "points": 1,
    "covers": ["lesson.framework-logits", "notes.m-raw-logits", "notes.m-label-format"],
}

SCENARIOS = {
    "torch_multiclass": {
        "setup": ("In PyTorch (`import torch.nn.functional as F`), `logits` is a tensor of shape (1, {k}) of raw "
                  "scores {z} and `target = torch.tensor([{c}])` holds the class index."),
        "right": ["F.cross_entropy(logits, target)", "F.nll_loss(F.log_softmax(logits, dim=1), target)"],
        "wrong": {
            "F.cross_entropy(F.softmax(logits, dim=1), target)": mc.LOGITS_AS_PROBS,
            "F.nll_loss(logits, target)": "gave nll_loss raw logits; it expects log-probabilities",
            "F.nll_loss(F.softmax(logits, dim=1), target)": "gave nll_loss probabilities, not log-probabilities",
            "F.binary_cross_entropy_with_logits(logits, target)": "used a binary loss with an integer class label",
        },
    },
    "torch_binary": {
        # both shapes stated: a 0-d logit beside a (1,)-shaped label makes the PyTorch losses raise
        "setup": ("In PyTorch (`import torch`, `import torch.nn.functional as F`), `logit = torch.tensor([{z0}])` "
                  "is a float tensor of shape (1,) holding one raw score and `label = torch.tensor([{y}.0])`, "
                  "also of shape (1,), is the binary label."),
        "right": ["F.binary_cross_entropy_with_logits(logit, label)",
                  "F.binary_cross_entropy(torch.sigmoid(logit), label)"],
        "wrong": {
            "F.binary_cross_entropy(logit, label)": "gave a probability-space loss a raw logit",
            "F.binary_cross_entropy_with_logits(torch.sigmoid(logit), label)": "applied the sigmoid twice",
            "-(label * torch.log(logit) + (1 - label) * torch.log(1 - logit))": "took the log of a raw logit",
        },
    },
    "keras": {
        "setup": ("In Keras (`import tensorflow as tf`), `logits` holds raw scores {z} of shape (1, {k}) and "
                  "`target = [{c}]` holds the class index."),
        "right": ["tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(target, logits)"],
        "wrong": {
            "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=False)(target, logits)":
                "declared raw logits to be probabilities (from_logits=False)",
            "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(target, tf.nn.softmax(logits))":
                mc.LOGITS_AS_PROBS,
            "tf.keras.losses.CategoricalCrossentropy(from_logits=True)(target, logits)":
                "gave a one-hot loss an integer class label",
        },
    },
}


POOLS = {name: StatementPool({line: mk.code(line) for line in scenario["right"]},
                              {line: (mk.code(line), tag) for line, tag in scenario["wrong"].items()})
         for name, scenario in SCENARIOS.items()}


def generate(rng):
    name = sm.pick(rng, sorted(SCENARIOS))
    k = 3
    return {"scenario": name, "z": sm.grid_values(rng, k, -2.0, 3.0, 0.5), "target": sm.integer(rng, 0, k - 1),
            **POOLS[name].draw(rng, shown=4, true_counts=(1, 1))}


def solve(params):
    return POOLS[params["scenario"]].correct(params)[0]


def distractors(params):
    return POOLS[params["scenario"]].wrong(params)


def choice_text(value, params):
    return POOLS[params["scenario"]].text(value)


def render(params):
    z = params["z"]
    setup = SCENARIOS[params["scenario"]]["setup"].format(
        k=len(z), z=mk.m(mk.vec(z)), c=params["target"], z0=mk.num(z[0]), y=params["target"] % 2)
    return f"{setup} Which line computes the intended cross-entropy loss?"


def explain(params):
    name = params["scenario"]
    if name == "torch_multiclass":
        why = ("`F.cross_entropy` applies `log_softmax` itself and then the negative log-likelihood, so it "
               "must receive raw logits (equivalently, `F.nll_loss` must receive log-probabilities).")
    elif name == "torch_binary":
        why = ("`binary_cross_entropy_with_logits` applies the sigmoid itself (stably); `binary_cross_entropy` "
               "expects probabilities in [0, 1], so it needs `torch.sigmoid` first.")
    else:
        why = ("With `from_logits=True` Keras applies the softmax itself; `Sparse...` losses take integer "
               "labels, while `CategoricalCrossentropy` expects one-hot targets.")
    squash = "sigmoid" if name == "torch_binary" else "softmax"   # a binary loss squashes with the sigmoid
    return (f"The right line is {mk.code(solve(params))}. {why} Passing {squash} outputs where logits are "
            f"expected applies the {squash} twice: the loss still runs but is wrong and its gradients are "
            "squashed.")

"""Normalise a per-token loss to bits per character, so tokenisers can be compared."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "bits_per_character",
    "title": "Bits per character across tokenisers",
    "topic": "perplexity",
    "type": "num",
    "points": 2,
    "covers": ["notebook.tokenization", "notes.m-log-base"],
}


def generate(rng):
    chars = sm.integer(rng, 20, 90) * 100
    per_token = sm.uniform(rng, 2.5, 5.0, 1)
    return {"chars": chars, "tokens": int(round(chars / per_token)), "loss": sm.uniform(rng, 1.5, 4.0, 2)}


def solve(params):
    return params["tokens"] * params["loss"] / (params["chars"] * im.LN2)


def distractors(params):
    n, c, loss = params["tokens"], params["chars"], params["loss"]
    return [
        (loss / im.LN2, "reported bits per token, not per character"),
        (n * loss / c, "forgot to convert nats to bits"),
        (c * loss / (n * im.LN2), "scaled by characters per token instead of tokens per character"),
    ]


def render(params):
    return (f"A test text of {params['chars']} characters is split by a subword tokeniser into "
            f"{params['tokens']} tokens, and a model's mean loss is {mk.num(params['loss'])} nats per token. "
            "To compare with a character-level model, express the loss in bits per character.")


def explain(params):
    n, c, loss = params["tokens"], params["chars"], params["loss"]
    worked = (rf"\frac{{{n}\cdot {mk.num(loss)}\text{{ nats}}}}{{{c}\text{{ chars}}}}\cdot\frac{{1}}{{\ln 2}} = "
              rf"{mk.f4(solve(params))}\text{{ bits/char}}")
    return ("The total loss of the text does not depend on how it is cut into tokens; divide it by the number "
            "of characters and convert to bits:" + mk.dm(worked)
            + "Per-token losses (and perplexities) of models with different tokenisers are not comparable, "
              "because the tokens are different events.")

"""Expected code length with a code built for the wrong distribution, and its excess over the entropy."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "coding_length",
    "title": "Coding with the wrong distribution",
    "topic": "cross_entropy",
    "type": "num",
    "points": 1,
    "covers": ["notebook.coding", "lesson.coding-view", "chapter.cross-entropy"],
}

DYADIC = ([0.5, 0.25, 0.125, 0.125], [0.25, 0.25, 0.25, 0.25], [0.5, 0.125, 0.125, 0.25])
SYMBOLS = "ABCD"


def generate(rng):
    base = sm.pick(rng, DYADIC)
    q = [base[int(i)] for i in rng.permutation(4)]
    return {"p": sm.distribution(rng, 4), "q": q, "ask": sm.pick(rng, ["length", "excess"])}


def degenerate(params):
    return "p equals q" if params["p"] == params["q"] else None


def _bits(x):
    return x / im.LN2


def solve(params):
    p, q = params["p"], params["q"]
    return _bits(im.cross_entropy(p, q)) if params["ask"] == "length" else _bits(im.kl(p, q))


def distractors(params):
    p, q = params["p"], params["q"]
    if params["ask"] == "length":
        return [
            (_bits(im.entropy(p)), "gave the best possible length, not the length of this code"),
            (_bits(im.entropy(q)), "averaged the code lengths with q's frequencies instead of p's"),
            (im.cross_entropy(p, q), mc.LN_FOR_BITS),
        ]
    return [
        (im.kl(p, q), mc.LN_FOR_BITS),
        (_bits(im.cross_entropy(p, q)), "reported the whole expected length, not the excess"),
        (_bits(im.kl(q, p)), mc.KL_SWAPPED),
    ]


def render(params):
    p, q = params["p"], params["q"]
    lengths = ", ".join(f"{s} {int(-math.log2(v))}" for s, v in zip(SYMBOLS, q))
    question = ("What is the expected code length per symbol, in bits?" if params["ask"] == "length" else
                # not "the best code": a real (Huffman) code for p averages more than H_2(p) unless every
                # p_i is a power of 1/2, so only the entropy makes the keyed answer D_KL(p || q)
                r"On average, how many more bits per symbol does this code use than the entropy \(H_2(p)\) of "
                "the true frequencies (the ideal code length, which no code can beat)?")
    return (f"Symbols A, B, C, D occur with probabilities {mk.m(mk.vec(p))}. A prefix code was designed for "
            f"the frequencies {mk.m(mk.vec(q))}, so its code words have these lengths in bits: {lengths}. "
            + question)


def explain(params):
    p, q = params["p"], params["q"]
    ce = _bits(im.cross_entropy(p, q))
    h = _bits(im.entropy(p))
    lengths = mk.terms(rf"{mk.num(a)}\cdot {int(-math.log2(b))}" for a, b in zip(p, q))
    text = (r"A code word for a symbol of model probability \(q_i\) has \(-\log_2 q_i\) bits, so the expected "
            r"length is the cross-entropy in bits:" + mk.dm(rf"H_2(p,q) = {lengths} = {mk.f4(ce)}"))
    if params["ask"] == "excess":
        text += (rf"No code for \(p\) can average fewer than \(H_2(p) = {mk.f4(h)}\) bits (a real prefix code "
                 "reaches it only when every probability is a power of 1/2), so the excess over it is "
                 rf"\(D_{{\mathrm{{KL}}}}(p\,\|\,q) = {mk.f4(ce)} - {mk.f4(h)} = {mk.f4(ce - h)}\) bits per symbol.")
    return text

"""Misconception tags used by more than one template, so reports can count them across the bank.

A tag says what a student who picks the distractor did or believes, in a few words.
"""

from __future__ import annotations

from quizzes.infomath import LN2

LOG2 = "log base 2 (bits) where nats were asked"
LN_FOR_BITS = "natural log (nats) where bits were asked"
LOG10 = "log base 10"
KL_SWAPPED = "KL arguments swapped"
CE_SWAPPED = "cross-entropy arguments swapped"
KL_SYMMETRIC = "assumed KL is symmetric"
SIGN = "dropped the minus sign"
SUM_FOR_MEAN = "summed where the mean was asked"
MEAN_FOR_SUM = "averaged where the total was asked"
DDOF1 = "ddof=1 (the unbiased sample variance), not the 1/N MLE"
PREDICTED_CLASS = "used the predicted class instead of the true class"
ENTROPY_ONLY = "reported the entropy H(p), leaving the model out"
KL_FOR_CE = "reported the KL divergence instead of the cross-entropy"
CE_FOR_KL = "reported the cross-entropy instead of the KL divergence"
NO_TEMPERATURE = "ignored the temperature"
TIMES_T = "multiplied the logits by T instead of dividing"
LOSS_FOR_GRADIENT = "reported the loss value, not its derivative"
GRADIENT_SIGN = "sign of the gradient flipped"
MSE_GRADIENT = "kept sigma'(z): that is the squared-error gradient"
LSE_AS_MAX = "replaced log-sum-exp by the largest logit"
LOGITS_AS_PROBS = "passed probabilities to a loss that expects logits"


def in_wrong_unit(nats: float, unit: str) -> tuple[float, str]:
    """The distractor for answering in the other unit: (value, tag)."""
    if unit == "bits":
        return nats, LN_FOR_BITS
    return nats / LN2, LOG2


def separated(options: list[tuple[float, str]], answer: float, gap: float) -> list[tuple[float, str]]:
    """The options that differ from ``answer`` by more than ``gap``.

    For slips whose effect vanishes for some parameters (a correction term that is tiny at
    large |z|): there the slip is harmless and the option would only duplicate the answer.
    """
    return [(value, tag) for value, tag in options if abs(value - answer) > gap]

"""What the quiz bank must cover: the unit's source material, section by section, in our own short names.

Every template lists the keys it covers in ``META["covers"]``; the engine checks them against
``SECTIONS`` when it loads a template, and ``quizzes.coverage`` proves coverage from the items a
bank holds. A section that holds nothing to examine (history, plotting, runtime analysis) says
why in ``skip``; every other section needs a template.

This module imports nothing from the package, so the engine (which checks META) and the bank
(which summarises coverage) can both use it without importing ``quizzes.coverage``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SOURCES: dict[str, str] = {
    "chapter": "Textbook chapter: cross-entropy, KL divergence and maximum likelihood (sections 1-5, exercises 1-6)",
    "lesson": "Interactive lesson: information theory behind ML loss functions (with its knowledge check)",
    "notes": "Concept notes on cross-entropy: key formulas and common mistakes",
    "course": "Language-model course: cross-entropy loss and maximum likelihood (exercises 1-5)",
    "notebook": "Theory notebook on cross-entropy (blocks 1-22)",
}

KINDS = ("section", "knowledge check", "exercise", "key formula", "common mistake")


@dataclass(frozen=True)
class Section:
    source: str
    kind: str
    title: str
    skip: str | None = None     # why nothing is examined here; None: at least one template must cover it


def _s(source: str, kind: str, title: str, skip: str | None = None) -> Section:
    return Section(source, kind, title, skip)


SECTIONS: dict[str, Section] = {
    # Textbook chapter
    "chapter.history": _s("chapter", "section", "Origins: Shannon, Kullback-Leibler, Fisher",
                          skip="history only; nothing to compute or decide"),
    "chapter.surprisal": _s("chapter", "section", "Self-information -log p and its unit"),
    "chapter.entropy": _s("chapter", "section", "Shannon entropy, the 0 log 0 = 0 convention, the log base"),
    "chapter.max-entropy": _s("chapter", "section", "The uniform distribution maximises entropy at ln n"),
    "chapter.binary-entropy": _s("chapter", "section", "Binary entropy, largest at one half"),
    "chapter.cross-entropy": _s("chapter", "section", "Cross-entropy as the cost of coding with the wrong model"),
    "chapter.kl": _s("chapter", "section", "KL divergence = cross-entropy minus entropy; infinite off q's support"),
    "chapter.gibbs": _s("chapter", "section", "Gibbs' inequality: KL >= 0, zero only when p = q"),
    "chapter.min-ce-min-kl": _s("chapter", "section", "For fixed p, minimising H(p, q) over q minimises KL(p||q)"),
    "chapter.kl-asymmetry": _s("chapter", "section",
                               "KL is asymmetric: forward covers mass, reverse seeks a mode"),
    "chapter.mle": _s("chapter", "section", "Likelihood, log-likelihood and the MLE as mean-NLL minimiser"),
    "chapter.mle-kl": _s("chapter", "section",
                         "MLE = minimum KL from the empirical distribution; three equivalent views"),
    "chapter.gaussian-mle": _s("chapter", "section", "Gaussian MLE: sample mean and the 1/N variance"),
    "chapter.ce-classification": _s("chapter", "section", "Categorical cross-entropy with one-hot labels"),
    "chapter.bce": _s("chapter", "section", "Binary cross-entropy with a sigmoid output"),
    "chapter.mse-vs-ce": _s("chapter", "section", "MSE vs cross-entropy gradients at the logit; saturation"),
    "chapter.softmax-gradient": _s("chapter", "section", "Softmax with cross-entropy: gradient y_hat - y"),
    "chapter.softmax-temperature": _s("chapter", "section", "Softmax as a Boltzmann distribution; temperature"),
    "chapter.temperature-entropy": _s("chapter", "section", "Softmax entropy grows with T towards ln K"),
    "chapter.ex-entropy-ranking": _s("chapter", "exercise", "Rank distributions by entropy"),
    "chapter.ex-gibbs-equality": _s("chapter", "exercise", "KL = 0 forces p = q"),
    "chapter.ex-coin": _s("chapter", "exercise", "Coin flips: likelihood, log-likelihood, MLE"),
    "chapter.ex-bce-gradient": _s("chapter", "exercise", "BCE gradient at the logit, sigma' cancels; vs MSE"),
    "chapter.ex-js": _s("chapter", "exercise", "Jensen-Shannon divergence: symmetric, at most ln 2"),
    "chapter.ex-zero-temperature": _s("chapter", "exercise", "Softmax tends to one-hot argmax as T -> 0"),
    # Interactive lesson
    "lesson.objectives": _s("lesson", "section", "Learning objectives and timeline",
                            skip="a list of goals and dates; each goal is examined through the sections below"),
    "lesson.coding-view": _s("lesson", "section", "Training a classifier as coding labels with the model"),
    "lesson.onehot-check": _s("lesson", "knowledge check", "What cross-entropy reduces to with one-hot labels"),
    "lesson.bce-gradient": _s("lesson", "section", "BCE with a sigmoid: gradient prediction minus target"),
    "lesson.softmax-ce": _s("lesson", "section", "Softmax cross-entropy and its gradient p - y"),
    "lesson.temperature-uses": _s("lesson", "section", "Low T sharpens, high T flattens; uses of each"),
    "lesson.decomposition": _s("lesson", "section", "H(p, q) = H(p) + KL(p||q), class by class"),
    "lesson.mle-nll": _s("lesson", "section", "Likelihood to log-likelihood to NLL to cross-entropy"),
    "lesson.mse-vs-ce": _s("lesson", "section",
                           "Confidently wrong at 0.05: MSE slope 1.9 vs BCE slope exactly 20 (not 19)"),
    "lesson.gradient-flow": _s("lesson", "section", "Why sigma' cancels at the output layer"),
    "lesson.numerical-stability": _s("lesson", "section", "Stable computation: log-sum-exp, clipping"),
    "lesson.framework-logits": _s("lesson", "section", "Framework losses that expect logits, not probabilities"),
    "lesson.perplexity": _s("lesson", "section", "Language models: perplexity = exp(cross-entropy)"),
    "lesson.distillation": _s("lesson", "section", "Knowledge distillation with softened teacher outputs"),
    "lesson.vae": _s("lesson", "section", "VAEs and diffusion: the KL term of the ELBO",
                     skip="named as an application only; the unit gives no formula or exercise for it"),
    # Concept notes: key formulas
    "notes.f-cross-entropy": _s("notes", "key formula", "H(P,Q) = -sum p log q"),
    "notes.f-entropy": _s("notes", "key formula", "H(P) = -sum p log p"),
    "notes.f-kl": _s("notes", "key formula", "KL(P||Q) = sum p log(p/q)"),
    "notes.f-decomposition": _s("notes", "key formula", "H(P,Q) = H(P) + KL(P||Q)"),
    "notes.f-expectation": _s("notes", "key formula", "H(P,Q) = E_P[-log q(x)]"),
    "notes.f-empirical": _s("notes", "key formula", "Empirical cross-entropy = mean NLL of samples"),
    "notes.f-softmax": _s("notes", "key formula", "Softmax of logits"),
    "notes.f-onehot": _s("notes", "key formula", "One-hot softmax cross-entropy = -log q_k"),
    "notes.f-logsumexp": _s("notes", "key formula", "Log-sum-exp with the maximum factored out"),
    "notes.f-softmax-gradient": _s("notes", "key formula", "dL/dz = softmax(z) - y"),
    "notes.f-stable-bce": _s("notes", "key formula", "Stable BCE from a logit: log(1 + e^z) - y z"),
    "notes.f-perplexity": _s("notes", "key formula", "Perplexity = e^{H(P,Q)}"),
    "notes.f-lower-bound": _s("notes", "key formula", "H(P,Q) >= H(P)"),
    "notes.f-label-smoothing": _s("notes", "key formula", "Smoothed target (1 - a) one-hot + a/K"),
    # Concept notes: common mistakes
    "notes.m-raw-logits": _s("notes", "common mistake", "Raw logits treated as probabilities"),
    "notes.m-overflow": _s("notes", "common mistake", "Overflow and underflow in exp and log"),
    "notes.m-zero-probability": _s("notes", "common mistake", "q(x) = 0 where p(x) > 0 not guarded"),
    "notes.m-label-format": _s("notes", "common mistake", "Label format does not match the loss API"),
    "notes.m-normalisation": _s("notes", "common mistake", "Distributions not normalised before use"),
    "notes.m-log-base": _s("notes", "common mistake", "Log base mixed up (bits vs nats)"),
    "notes.m-mean-vs-sum": _s("notes", "common mistake", "Mean and sum reductions mixed up"),
    "notes.m-label-smoothing": _s("notes", "common mistake", "Smoothed and unsmoothed losses compared directly"),
    "notes.when-to-use": _s("notes", "section", "When to use cross-entropy; class weights, focal loss",
                            skip="advice on choosing a loss; its checkable parts are the weighting and MSE-vs-CE templates"),
    "notes.complexity": _s("notes", "section", "Time and memory cost O(nK)",
                           skip="runtime analysis of code, outside the unit's assessment"),
    # Language-model course
    "course.nll": _s("course", "section", "Likelihood, log-likelihood, mean NLL as the training objective"),
    "course.onehot": _s("course", "exercise", "One-hot target: H(p, q) = -log q(y)"),
    "course.proper-scoring": _s("course", "section", "Cross-entropy is a strictly proper scoring rule"),
    "course.logsumexp-loss": _s("course", "exercise", "Loss from logits by hand with log-sum-exp"),
    "course.gradient": _s("course", "exercise", "Gradient of the loss for every logit"),
    "course.perplexity": _s("course", "exercise", "Perplexity from a cross-entropy loss"),
    "course.temperature": _s("course", "exercise", "Loss and softmax as T -> 0 and T -> infinity"),
    "course.mle-properties": _s("course", "section", "Consistency and efficiency of the MLE",
                                skip="asymptotic properties stated without proof or computation"),
    # Theory notebook
    "notebook.coding": _s("notebook", "section", "Code lengths under the true source and the model"),
    "notebook.ce-vs-entropy": _s("notebook", "section", "Cross-entropy is smallest at the true distribution"),
    "notebook.empirical": _s("notebook", "section", "Sample average of -log q estimates cross-entropy"),
    "notebook.gaussian": _s("notebook", "section", "Closed-form Gaussian cross-entropy"),
    "notebook.sequence": _s("notebook", "section", "Sequence NLL, mean token CE and perplexity"),
    "notebook.tokenization": _s("notebook", "section", "Per-token losses under different tokenisations"),
    "notebook.decomposition": _s("notebook", "section", "The identity H(p,q) = H(p) + KL on random examples"),
    "notebook.support": _s("notebook", "section", "Support mismatch gives infinite cross-entropy"),
    "notebook.bce": _s("notebook", "section", "BCE as Bernoulli NLL; confident mistakes"),
    "notebook.bce-logits": _s("notebook", "section", "BCE from logits instead of probabilities"),
    "notebook.categorical-logits": _s("notebook", "section", "Categorical CE from softmax logits"),
    "notebook.soft-targets": _s("notebook", "section", "Cross-entropy against soft targets"),
    "notebook.label-smoothing": _s("notebook", "section", "Label smoothing raises target entropy"),
    "notebook.distillation": _s("notebook", "section", "Distillation with a temperature"),
    "notebook.logsumexp": _s("notebook", "section", "Stable log-sum-exp for logits near 1000"),
    "notebook.gradient": _s("notebook", "section", "Softmax-CE gradient checked by finite differences"),
    "notebook.hessian": _s("notebook", "section", "Hessian in logit space: diag(p) - p p^T"),
    "notebook.proper-scoring": _s("notebook", "section", "Log loss is strictly proper"),
    "notebook.calibration": _s("notebook", "section", "Temperature scaling tunes validation NLL"),
    "notebook.weighted-masked": _s("notebook", "section", "Weighted and masked cross-entropy averages"),
    "notebook.same-accuracy": _s("notebook", "section", "Equal accuracy, different cross-entropy"),
    "notebook.preference": _s("notebook", "section", "Pairwise preference loss -log sigmoid(score gap)"),
    "notebook.closing": _s("notebook", "section", "Closing checks: decomposition, lower bound, KL >= 0"),
}


def coverage_map(templates: Iterable) -> dict[str, list[str]]:
    """Section key -> ids of the templates whose META claims it (sorted), for every section."""
    table: dict[str, list[str]] = {key: [] for key in SECTIONS}
    for template in templates:
        for key in template.covers:
            table[key].append(template.id)
    return {key: sorted(ids) for key, ids in table.items()}


def drawn_map(items: Iterable) -> dict[str, list[str]]:
    """Section key -> ids of the templates with at least one drawn item examining it (sorted).

    Counted from the items, not from META: a template family that a bank never draws covers nothing.
    """
    table: dict[str, set[str]] = {key: set() for key in SECTIONS}
    for item in items:
        for key in item.covers:
            table[key].add(item.template)
    return {key: sorted(ids) for key, ids in table.items()}


def uncovered(items: Iterable) -> list[str]:
    """Examinable sections no drawn item examines."""
    table = drawn_map(items)
    return [key for key, ids in table.items() if not ids and SECTIONS[key].skip is None]

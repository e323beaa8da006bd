"""Select the statements about KL and cross-entropy that hold for every pair of distributions."""

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes.statements import StatementPool

META = {
    "id": "gibbs_statements",
    "title": "What always holds for KL?",
    "topic": "kl_divergence",
    "type": "multi",
    "choices": 5,
    "correct": [2, 3],
    "points": 2,
    "covers": ["chapter.gibbs", "chapter.ex-gibbs-equality", "lesson.decomposition", "chapter.kl-asymmetry",
               "notebook.closing"],
}

KL_PQ = r"D_{\mathrm{KL}}(p\,\|\,q)"
TRUE = {
    "nonnegative": rf"\({KL_PQ} \ge 0\)",
    "zero_only_if_equal": rf"\({KL_PQ} = 0\) only when \(p = q\)",
    "ce_above_entropy": r"\(H(p, q) \ge H(p)\)",
    "decomposition": rf"\(H(p, q) = H(p) + {KL_PQ}\)",
    "relabelling": rf"applying the same permutation to the outcomes of \(p\) and \(q\) leaves \({KL_PQ}\) unchanged",
    "js_bounded": r"\(\mathrm{JS}(p, q) \le \ln 2\)",
}
FALSE = {
    "symmetric": (rf"\({KL_PQ} = D_{{\mathrm{{KL}}}}(q\,\|\,p)\)", mc.KL_SYMMETRIC),
    "bounded": (rf"\({KL_PQ} \le \ln 2\)", "carried the ln 2 bound of JS over to KL"),
    "termwise": (r"every term \(p_i \ln(p_i / q_i)\) is \(\ge 0\)", "thinks KL is non-negative term by term"),
    "triangle": (rf"\(D_{{\mathrm{{KL}}}}(p\,\|\,r) \le {KL_PQ} + D_{{\mathrm{{KL}}}}(q\,\|\,r)\) for every third "
                 r"distribution \(r\)", "treats KL as a distance (triangle inequality)"),
    "ce_below_entropy": (r"\(H(p, q) \le H(p)\)", "reversed Gibbs' inequality"),
}


POOL = StatementPool(TRUE, FALSE)
# sections examined only when their statement is shown; the rest are examined by every variant
BY_STATEMENT = {"zero_only_if_equal": "chapter.ex-gibbs-equality", "symmetric": "chapter.kl-asymmetry",
                "decomposition": "lesson.decomposition"}


def covers(params):
    shown = set(params["true"]) | set(params["false"])
    return [key for key in META["covers"]
            if key not in BY_STATEMENT.values() or any(BY_STATEMENT[s] == key for s in shown if s in BY_STATEMENT)]


def generate(rng):
    return POOL.draw(rng, shown=5, true_counts=(2, 3))


solve, distractors, choice_text = POOL.template_functions()


def render(params):
    return ("Select every statement that holds for all distributions \\(p, q, r\\) on the same finite set whose "
            "probabilities are all positive.")


def explain(params):
    notes = {
        "nonnegative": "Gibbs' inequality.",
        "zero_only_if_equal": r"Equality in Gibbs' inequality needs \(q_i/p_i\) constant, hence \(q = p\).",
        "ce_above_entropy": r"Because \(H(p,q) - H(p) = D_{\mathrm{KL}}(p\,\|\,q) \ge 0\).",
        "decomposition": r"Split \(-\ln q_i = -\ln p_i + \ln(p_i/q_i)\) and average under \(p\).",
        "relabelling": "The sum runs over the same pairs of numbers in another order.",
        "js_bounded": r"Each half is at most \(\tfrac12\ln 2\) since the mixture gives every outcome at least half of its mass.",
        "symmetric": r"False: e.g. \(p = (0.9, 0.1), q = (0.5, 0.5)\) gives 0.368 one way and 0.511 the other.",
        "bounded": r"False: \(p = (0.99, 0.01), q = (0.01, 0.99)\) gives about 4.5 nats.",
        "termwise": r"False: a term is negative wherever \(p_i < q_i\); only the sum is non-negative.",
        "triangle": r"False: \(p = (0.9, 0.1), q = (0.5, 0.5), r = (0.1, 0.9)\): 1.758 > 0.368 + 0.511.",
        "ce_below_entropy": "False: it is the reverse of Gibbs' inequality.",
    }
    lines = [f"{POOL.text(key)}: {notes[key]}" for key in params["true"] + params["false"]]
    return mk.bullet_list(lines)

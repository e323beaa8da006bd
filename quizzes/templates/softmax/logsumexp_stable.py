"""Select the expressions that compute log-sum-exp correctly in float64 for huge logits."""

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm
from quizzes.statements import StatementPool

META = {
    "id": "logsumexp_stable",
    "title": "Stable log-sum-exp in code",
    "topic": "softmax",
    "type": "multi",
    "choices": 5,
    "correct": [2, 3],
    "points": 2,
    "covers": ["notes.m-overflow", "lesson.numerical-stability", "notebook.logsumexp", "notes.f-logsumexp"],
}

RIGHT = ["m + np.log(np.sum(np.exp(z - m)))", "scipy.special.logsumexp(z)", "np.logaddexp.reduce(z)"]
WRONG = {
    "np.log(np.sum(np.exp(z)))": "computed exp(z) directly, which overflows or underflows at this size",
    "np.max(z)": mc.LSE_AS_MAX,
    "np.log(np.sum(np.exp(z - m)))": "forgot to add the maximum back",
    "m + np.log(np.sum(np.exp(z)))": "added the maximum back without subtracting it inside exp",
}
POOL = StatementPool({line: mk.code(line) for line in RIGHT},
                     {line: (mk.code(line), tag) for line, tag in WRONG.items()})


def generate(rng):
    base = sm.pick(rng, [1000.0, -1000.0, 750.0, -800.0])
    return {"z": [base + v for v in sm.grid_values(rng, 3, -2.0, 2.0, 0.5)],
            **POOL.draw(rng, shown=5, true_counts=(2, 3))}


solve, distractors, choice_text = POOL.template_functions()


def render(params):
    z = ", ".join(mk.num(v) for v in params["z"])
    return (f"With {mk.code(f'z = np.array([{z}])')} and {mk.code('m = np.max(z)')}, which expressions return "
            r"\(\ln\sum_i e^{z_i}\) correctly (to float64 accuracy)? Select all that apply.")


def explain(params):
    return ("The safe forms keep every exponent at or below 0 by subtracting the maximum and adding it back "
            "outside the log; `scipy.special.logsumexp` and `np.logaddexp.reduce` do this internally. "
            "`np.exp(z)` overflows to inf beyond about 709 and underflows to 0 below about -745, so a log of its sum "
            "is inf or -inf; dropping the "
            "correction term or the added-back maximum gives a finite but wrong number.")

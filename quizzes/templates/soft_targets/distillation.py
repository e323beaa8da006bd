"""Soft-target cross-entropy between a teacher and a student at a distillation temperature."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "distillation",
    "title": "Distillation loss with temperature",
    "topic": "soft_targets",
    "type": "num",
    "points": 2,
    "covers": ["lesson.distillation", "notebook.distillation", "notebook.soft-targets", "lesson.temperature-uses"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"teacher": sm.grid_values(rng, k, -1.0, 7.0, 0.5), "student": sm.grid_values(rng, k, -1.0, 5.0, 0.5),
            "T": sm.pick(rng, [2.0, 3.0, 4.0, 5.0])}


def degenerate(params):
    # a student equal to the teacher up to a shift softens to the same distribution: the KL distractor
    # would be 0 and the question would test nothing about the two distributions
    if im.kl(_soft(params, "teacher"), _soft(params, "student")) < 1e-3:
        return "the softened student equals the teacher"
    return None


def _soft(params, who, t=None):
    return im.softmax(params[who], params["T"] if t is None else t)


def solve(params):
    return im.cross_entropy(_soft(params, "teacher"), _soft(params, "student"))


def distractors(params):
    teacher, student = _soft(params, "teacher"), _soft(params, "student")
    return [
        (im.cross_entropy(_soft(params, "teacher", 1.0), _soft(params, "student", 1.0)), mc.NO_TEMPERATURE),
        (im.cross_entropy(teacher, _soft(params, "student", 1.0)), "softened the teacher but not the student"),
        (im.kl(teacher, student), "reported the KL divergence (cross-entropy minus the teacher's entropy)"),
        (params["T"] ** 2 * solve(params), "multiplied by T^2, a gradient-scaling convention, not the loss asked"),
    ]


def render(params):
    t = mk.num(params["T"])
    return (rf"In knowledge distillation at temperature \(T = {t}\), the teacher's logits are "
            rf"\({mk.vec(params['teacher'])}\) and the student's are \({mk.vec(params['student'])}\). Compute the "
            rf"soft-target loss \(H(p^{{T}}_{{\text{{teacher}}}}, p^{{T}}_{{\text{{student}}}})\), where "
            r"\(p^T = \mathrm{softmax}(z/T)\), in nats (no \(T^2\) factor).")


def explain(params):
    teacher, student = _soft(params, "teacher"), _soft(params, "student")
    tv = mk.vec4(teacher)
    sv = mk.vec4(student)
    return (rf"Soften both with the same temperature: teacher \(p^T = {tv}\), student \(p^T = {sv}\). Then "
            rf"\(H = -\sum_k p^T_{{\text{{teacher}},k}}\ln p^T_{{\text{{student}},k}} = {mk.f4(solve(params))}\). "
            "A high temperature exposes how the teacher ranks the wrong classes (its 'dark knowledge'), which a "
            "hard label or a \\(T = 1\\) teacher nearly hides.")

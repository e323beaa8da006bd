"""Regenerate the bundled sample submissions that `make demo` grades.

    .venv/bin/python samples/make_samples.py

Each sample is the coin_mle reference solution with changes a real class would
produce: correct work, partly wrong work (two mutants), hostile work, and broken
files. The expected outcome of each is listed in samples/coin_mle/EXPECTED.json and checked by
grader_tests/test_demo.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat

from autograder.mutants import apply_variant, load_variants

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "samples" / "coin_mle"

ANSWER_GOOD = r"""For $0<\theta<1$, $\ell'(\theta) = \dfrac{h}{\theta} - \dfrac{t}{1-\theta}$.
Setting it to zero: $h(1-\theta) = t\theta$, so $\hat\theta = \dfrac{h}{h+t} = \dfrac{3}{5}$ for HHTHT.

$\ell''(\theta) = -h/\theta^2 - t/(1-\theta)^2 < 0$, so $\ell$ is concave and this is the maximum."""
ANSWER_WEAK = r"""The derivative is zero at $\theta = 3/5$ because there are 3 heads out of 5 flips."""
ANSWER_SLOPPY = r"""$\ell'(\theta) = 3/\theta - 2/(1-\theta) = 0$ gives $\theta = 0.6$. It is a maximum because the plot
goes up and then down."""
ANSWER_PROOF = r"""(a) $-\ell(\theta)/N = -\tfrac{h}{N}\ln\theta - \tfrac{t}{N}\ln(1-\theta)
= -\hat p\ln\theta - (1-\hat p)\ln(1-\theta) = H(\hat p, \theta)$.

(b) $H(\hat p) + D_{\mathrm{KL}}(\hat p\,\|\,\theta) = -\hat p\ln\hat p - (1-\hat p)\ln(1-\hat p)
+ \hat p\ln\tfrac{\hat p}{\theta} + (1-\hat p)\ln\tfrac{1-\hat p}{1-\theta} = H(\hat p, \theta)$.

(c) $\ln$ is increasing and $-1/N < 0$, so maximising $\mathcal{L}$ is minimising $H(\hat p, \theta)$. $H(\hat p)$ does
not depend on $\theta$, so this is minimising the KL divergence, which is $\ge 0$ and $0$ only at $\theta = \hat p$:
$\hat\theta = h/N$."""
PLACEHOLDER = "_Type your answer here, replacing this text._"


def _set_answer(nb, text: str, question: str = "Question 6") -> None:
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and f"**{question} " in cell.source:
            for follower in cells[i + 1:]:
                if follower.cell_type == "markdown" and "<!-- END QUESTION -->" not in follower.source:
                    follower.source = text
                    return


def _code_cell(source: str, cell_id: str):
    """A new code cell with a fixed id (nbformat draws a random one), so regenerating gives the same bytes."""
    cell = nbformat.v4.new_code_cell(source)
    cell.id = cell_id
    return cell


def main() -> None:
    solution = nbformat.read(ROOT / "solutions" / "coin_mle.ipynb", as_version=4)
    student = nbformat.read(ROOT / "dist" / "coin_mle" / "student" / "coin_mle.ipynb", as_version=4) \
        if (ROOT / "dist" / "coin_mle").exists() else None
    mutants = {v.slug: v for v in load_variants(ROOT / "assignments" / "coin_mle" / "mutants", mutant=True)}
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {}

    def write(name: str, nb, status: str, note: str) -> None:
        nbformat.write(nb, OUT / f"{name}.ipynb")
        expected[name] = {"status": status, "note": note}

    alice = copy.deepcopy(solution)
    _set_answer(alice, ANSWER_GOOD)
    _set_answer(alice, ANSWER_PROOF, "Question 10")
    write("alice", alice, "ok", "correct throughout")

    bob = apply_variant(apply_variant(solution, mutants["swap_heads_tails"]), mutants["sample_std_ddof1"])
    _set_answer(bob, ANSWER_WEAK)
    write("bob", bob, "ok", "partly wrong: heads/tails swapped in theta_mle, ddof=1 in gaussian_mle")

    carol = apply_variant(solution, mutants["log_base_2"])
    _set_answer(carol, ANSWER_SLOPPY)
    write("carol", carol, "ok", "partly wrong: log base 2")

    dave = apply_variant(solution, mutants["swap_heads_tails"])
    dave.cells.insert(3, _code_cell(
        "import numpy as np, builtins, os\n"
        "np.isclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\n"
        "builtins.abs = lambda x: 0\n"
        "for path in ['/work/main/solutions/coin_mle.ipynb', '../gradebook.csv']:\n"
        "    try:\n        open(path, 'a').write('forged')\n    except OSError:\n        pass", "dave-hostile"))
    dave.cells.insert(8, _code_cell("while True:\n    pass", "dave-loop"))
    _set_answer(dave, PLACEHOLDER)
    write("dave", dave, "timeout", "hostile: patches numpy and builtins, tries to forge files, loops forever")

    heidi = copy.deepcopy(solution)
    _set_answer(heidi, PLACEHOLDER)
    position = next(i for i, c in enumerate(heidi.cells) if "gaussian_mle" in c.source and c.cell_type == "code")
    heidi.cells.insert(position, _code_cell("import os\nos._exit(0)", "heidi-exit"))
    write("heidi", heidi, "crashed", "ends its own process before the Gaussian question (q7): that cell is left out, "
          "the rest is graded")

    grace = copy.deepcopy(solution)
    _set_answer(grace, PLACEHOLDER)
    grace.metadata["otter"]["assignment_name"] = "softmax_temperature"
    write("grace", grace, "wrong-assignment", "a notebook from another assignment")

    if student is not None:
        write("ivan", student, "ok", "blank copy: nothing answered")

    (OUT / "erin.ipynb").write_text(nbformat.writes(solution)[:700])
    expected["erin"] = {"status": "invalid-notebook", "note": "truncated upload"}
    (OUT / "frank.ipynb").write_bytes(b"")
    expected["frank"] = {"status": "invalid-notebook", "note": "empty file"}
    (OUT / "EXPECTED.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

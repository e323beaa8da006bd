"""The build's validity proof over variants (autograder/validity.py).

- the session's build recorded a proof for every variant assignment (and only for those), on 20 distinct
  sampled variants, canonical first, and the mutant patterns it measured are the ones the build kept;
- a planted alternative that hard-codes the canonical answer, and a planted mutant that loses marks only on
  variants like the canonical one, pass a proof on the canonical variant alone but fail the default proof,
  with a message naming each notebook, a variant's parameters, the failing test and the fix, and the
  previous build output left as it was;
- an unchanged rebuild reuses the recorded proof; an edited mutant is graded again;
- (exhaustive, `make test-exhaustive`) the proof holds on 200 sampled variants of every variant assignment.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import project
from autograder.build import DEFAULT_VARIANTS, build_assignments
from autograder.grading.runner import load_autograder
from autograder.mutants import load_variants
from autograder.validity import CACHE_VARIABLE, RECORD_FILE, prove
from autograder.variants import load_spec
from xentcore.errors import BuildError

from conftest import ASSIGNMENTS, ROOT

pytestmark = pytest.mark.slow
NAME = "coin_mle"
VARIANT_ASSIGNMENTS = [name for name in ASSIGNMENTS if (ROOT / "assignments" / name / "variant.py").is_file()]

# Correct for the canonical variant only: the canonical flips HHTHT have theta-hat 3/5.
HARD_CODED_ALTERNATIVE = '''"""Hard-codes the canonical answer (correct only for HHTHT)."""

# %% q4
theta_hat = 0.6
'''
# Wrong whenever heads > tails (as in HHTHT), right whenever tails > heads.
PARTIAL_MUTANT = '''"""Takes the smaller count as the number of heads.

Loses: q4
"""

# %% q4
theta_hat = theta_mle(min(heads, tails), max(heads, tails))
'''


def test_the_build_recorded_a_proof_for_each_variant_assignment(built):
    assert NAME in VARIANT_ASSIGNMENTS
    for name in ASSIGNMENTS:
        record_file = built[name].autograder.with_name(RECORD_FILE)
        if name not in VARIANT_ASSIGNMENTS:
            assert not record_file.exists(), f"{name} has no variants, yet its build recorded a validity proof"
            continue
        record = json.loads(record_file.read_text())
        spec = load_spec(ROOT / "assignments" / name, name)
        mutants = load_variants(project.mutants_dir(ROOT, name), mutant=True)
        alternatives = load_variants(project.alternatives_dir(ROOT, name), mutant=False)
        assert record["variants"] == DEFAULT_VARIANTS == len(record["params"])
        assert record["params"][0] == spec.canonical
        assert len({json.dumps(p, sort_keys=True) for p in record["params"]}) == DEFAULT_VARIANTS
        assert (record["mutants"], record["alternatives"]) == (len(mutants), len(alternatives))
        assert record["gradings"] == DEFAULT_VARIANTS * (2 + len(mutants) + len(alternatives))
        patterns = json.loads(built[name].autograder.with_name(project.PATTERNS_FILE).read_text())["patterns"]
        assert record["patterns"] == patterns
        assert [p["slug"] for p in patterns] == [m.slug for m in mutants]
        for pattern, mutant in zip(patterns, mutants):  # measured on the canonical variant, as the proof says
            assert set(mutant.loses) <= set(pattern["failed"]), mutant.slug


def _project_with(tmp_path: Path, *, mutants: dict[str, str], alternatives: dict[str, str]) -> Path:
    """A copy of the project holding coin_mle with only the given mutants and alternatives (fewer to grade)."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "assignments" / NAME, root / "assignments" / NAME,
                    ignore=shutil.ignore_patterns("mutants", "alternatives"))
    for kind, files in (("mutants", mutants), ("alternatives", alternatives)):
        folder = root / "assignments" / NAME / kind
        folder.mkdir()
        for slug, text in files.items():
            (folder / f"{slug}.py").write_text(text)
    return root


def _build(root: Path, dist: Path, count: int):
    return build_assignments([NAME], dist=dist, root=root, solutions=root / "solutions", log=lambda m: None,
                             validity_variants=count)


def test_variant_dependent_mistakes_fail_the_build_and_keep_its_output(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)  # graded here, whatever the session shares
    spec = load_spec(ROOT / "assignments" / NAME, NAME)
    count = 4
    sample = spec.sample(count)
    assert sample[0]["heads"] > sample[0]["tails"]
    assert any(p["tails"] > p["heads"] for p in sample[1:]), "the plants below need such a sampled variant"
    root = _project_with(tmp_path, mutants={"min_count_as_heads": PARTIAL_MUTANT},
                         alternatives={"hard_coded_canonical": HARD_CODED_ALTERNATIVE})
    dist = tmp_path / "dist"
    # On the canonical variant alone both plants look fine: that is what the proof over variants is for.
    _build(root, dist, 1)
    before = {p: p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    solution_before = (root / "solutions" / f"{NAME}.ipynb").read_bytes()

    with pytest.raises(BuildError) as failed:
        _build(root, dist, count)
    message = str(failed.value)
    assert f"validity proof over {count} variants failed" in message
    alternative = root / "assignments" / NAME / "alternatives" / "hard_coded_canonical.py"
    mutant = root / "assignments" / NAME / "mutants" / "min_count_as_heads.py"
    assert f"alternative {alternative} loses marks on q4 test 2" in message
    assert "theta_hat is not the maximum-likelihood estimate for your flips" in message
    wrong_for_hard_coded = [v for v, p in enumerate(sample)
                            if abs(p["heads"] / (p["heads"] + p["tails"]) - 0.6) > 1e-12]
    assert f"on {len(wrong_for_hard_coded)} of {count} variants, e.g. sampled variant {wrong_for_hard_coded[0]} " \
           f"with parameters {sample[wrong_for_hard_coded[0]]}" in message
    tails_first = [v for v, p in enumerate(sample) if p["tails"] > p["heads"]]
    assert f"mutant {mutant} keeps full marks on q4 on {len(tails_first)} of {count} variants, e.g. sampled " \
           f"variant {tails_first[0]} with parameters {sample[tails_first[0]]}" in message
    assert "Fix (alternative): " in message and "hard-codes numbers" in message
    assert "Fix (mutant): " in message and "make check(params)" in message
    assert str(root / "assignments" / NAME / f"{NAME}.ipynb") in message
    after = {p: p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    assert after == before, "a failed proof changed the previous build output"
    assert (root / "solutions" / f"{NAME}.ipynb").read_bytes() == solution_before


def test_an_unchanged_rebuild_reuses_the_proof_and_a_changed_mutant_is_graded_again(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    mutant = next(m for m in load_variants(project.mutants_dir(ROOT, NAME), mutant=True)
                  if m.slug == "swap_heads_tails")
    root = _project_with(tmp_path, mutants={mutant.slug: mutant.path.read_text()}, alternatives={})
    dist = tmp_path / "dist"
    lines: list[str] = []
    build_assignments([NAME], dist=dist, root=root, solutions=root / "solutions", log=lines.append,
                      validity_variants=3)
    record_file = project.autograder_zip(dist, NAME).with_name(RECORD_FILE)
    first = record_file.read_bytes()
    assert any("3 variants: solution full marks, blank 0, 1/1 mutants lose marks, 0/0 alternatives full marks "
               "(9 gradings in" in line for line in lines), lines
    lines.clear()
    build_assignments([NAME], dist=dist, root=root, solutions=root / "solutions", log=lines.append,
                      validity_variants=3)
    assert any(f"(reused from {record_file}" in line for line in lines), lines
    assert record_file.read_bytes() == first
    lines.clear()
    (root / "assignments" / NAME / "mutants" / f"{mutant.slug}.py").write_text(mutant.path.read_text() + "\n# edited\n")
    build_assignments([NAME], dist=dist, root=root, solutions=root / "solutions", log=lines.append,
                      validity_variants=3)
    assert any("(9 gradings in" in line for line in lines), lines
    assert json.loads(record_file.read_bytes())["key"] != json.loads(first)["key"]


@pytest.mark.exhaustive
@pytest.mark.parametrize("name", VARIANT_ASSIGNMENTS)
def test_the_proof_holds_on_200_variants(built, name):
    """Every variant assignment, 200 sampled variants, graded now (no recorded proof is reused)."""
    solution = nbformat.read(built[name].solution, as_version=4)
    blank = nbformat.read(built[name].student, as_version=4)
    proof = prove(load_autograder(built[name].autograder, name), load_spec(ROOT / "assignments" / name, name),
                  solution, blank, load_variants(project.mutants_dir(ROOT, name), mutant=True),
                  load_variants(project.alternatives_dir(ROOT, name), mutant=False), count=200,
                  preload_files=(built[name].autograder, built[name].student), origin=name)
    assert proof.variants == 200 and not proof.failures
    print(proof.describe())

"""Mutant and alternative files: format, errors, and how they replace answers."""

from __future__ import annotations

import nbformat
import pytest

from xentcore.errors import MutantFileError
from autograder.mutants import apply_variant, load_variants, parse_variant

from conftest import ROOT


def _file(tmp_path, text, name="m.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_parses_description_questions_and_answers(tmp_path):
    path = _file(tmp_path, '"""Swapped heads and tails.\n\nLoses: q3, q4\n"""\n\n# %% q3\ndef f():\n    pass\n\n# %% q4\nx = 1\n')
    variant = parse_variant(path, mutant=True)
    assert variant.description == "Swapped heads and tails."
    assert variant.loses == ("q3", "q4")
    assert variant.answers == {"q3": "def f():\n    pass\n", "q4": "x = 1\n"}


@pytest.mark.parametrize(("text", "mutant", "words"), [
    ("# %% q1\nx = 1\n", True, "no docstring"),
    ('"""A mistake."""\n# %% q1\nx = 1\n', True, "must say which questions lose marks"),
    ('"""Other style.\n\nLoses: q1\n"""\n# %% q1\nx = 1\n', False, "remove its 'Loses:' line"),
    ('"""A mistake.\n\nLoses: q1\n"""\nx = 1\n', True, "no '# %% q<N>' section"),
    ('"""A mistake.\n\nLoses: q1\n"""\n# %% q1\nx = (\n', True, "not valid Python"),
    ('"""A mistake.\n\nLoses: q1\n"""\n# %% q1\nx = 1\n# %% q1\nx = 2\n', True, "two '# %% q1' sections"),
])
def test_bad_files_are_named(tmp_path, text, mutant, words):
    path = _file(tmp_path, text)
    with pytest.raises(MutantFileError) as info:
        parse_variant(path, mutant=mutant)
    assert str(path) in str(info.value) and words in str(info.value)


def test_apply_replaces_only_the_named_answer():
    solution = nbformat.read(ROOT / "solutions" / "coin_mle.ipynb", as_version=4)
    variant = next(v for v in load_variants(ROOT / "assignments/coin_mle/mutants", mutant=True)
                   if v.slug == "sample_std_ddof1")
    changed = apply_variant(solution, variant)
    diff = [(a.source, b.source) for a, b in zip(solution.cells, changed.cells) if a.source != b.source]
    assert len(diff) == 1 and "ddof=1" in diff[0][1]
    assert "ddof=1" not in "".join(c.source for c in solution.cells), "the original must not be modified"


def test_apply_rejects_unknown_question(tmp_path):
    solution = nbformat.read(ROOT / "solutions" / "coin_mle.ipynb", as_version=4)
    variant = parse_variant(_file(tmp_path, '"""Bad.\n\nLoses: q99\n"""\n# %% q99\nx = 1\n'), mutant=True)
    with pytest.raises(MutantFileError, match="no code answer cell for q99"):
        apply_variant(solution, variant)


def test_public_tests_catch_enough_mutants(built, capsys):
    """Per assignment, the share of mutants the public tests alone catch (printed; at least 40 % overall).
    That every mutant loses marks is test_assignments.py's job; mutants that only a public form test
    catches (a SymPy answer in the wrong symbols) are named in the printout."""
    import json

    from autograder.catch import catch_share
    from autograder.testfiles import cases_from_zip

    shares = []
    for name, item in sorted(built.items()):
        patterns = json.loads(item.autograder.with_name("mutant_patterns.json").read_text())["patterns"]
        shares.append(catch_share(name, cases_from_zip(item.autograder), patterns))
    with capsys.disabled():
        print("\n" + "\n".join(share.describe() for share in shares))
    caught = sum(len(share.caught_by_public) for share in shares)
    total = sum(len(share.mutants) for share in shares)
    assert caught / total >= 0.40, f"public tests catch only {caught} of {total} mutants"


def test_catch_share_counts_public_and_hidden_cases():
    from autograder.catch import catch_share
    from autograder.testfiles import TestCase

    cases = [TestCase("q1", 0, "", 1, False), TestCase("q1", 1, "", 1, True)]
    patterns = [{"slug": "a", "failed": {"q1": ["q1.1", "q1.2"]}}, {"slug": "b", "failed": {"q1": ["q1.2"]}},
                {"slug": "c", "failed": {"q1": ["q1.1"]}}]
    share = catch_share("x", cases, patterns)
    assert share.caught_by_public == ("a", "c") and share.missed_by_hidden == ("c",)
    assert share.describe() == "x: public tests alone catch 2 of 3 mutants (67 %); hidden tests alone miss c"

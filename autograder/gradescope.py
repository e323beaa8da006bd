"""Gradescope for per-student variants: what a roster build adds to the autograder zip.

A roster build (``autograder build NAME --roster R --key-file K``) gives every student their own numbers.
Gradescope runs the zip's ``run_autograder`` → ``run_otter.py``; :func:`zip_entries` replaces that
``run_otter.py`` with one that, before Otter grades anything, works out whose submission it is and rewrites
the notebook's parameters cell to that student's numbers (:mod:`autograder.gradescope_runtime`, stored as
``xent_gradescope.py``: standard library and numpy only, since Gradescope's image has otter-grader and numpy
but not xent-lab). In order:

1. ``/autograder/submission_metadata.json`` names the submitter (``users``: ``email``, ``sid``, ...).
   Their ``sid`` is matched to a roster id or SIS id, else their email to a roster email (or id), exactly
   as :meth:`autograder.variants.Roster.find` matches on the instructor's machine.
2. Their parameters are drawn with the zip's copies of variantdraw.py and variant.py from the key stored in
   the zip (``xent_gradescope.json``): the same numbers as the local grader and the personalised notebook.
3. The notebook's first ``# PARAMETERS`` cell becomes theirs (later ones are emptied); a notebook whose
   student deleted it gets one before its first code cell that is not Otter's or the setup cell. So the
   notebook runs on the owner's numbers and the tests' ``PARAMS`` holds them, whatever the student edited.
4. Otter grades; results.json's output says whose numbers were used. A notebook carrying another student's
   genuine variant tag (``metadata.xent.variant``, checked with the tag HMAC) is graded on the submitter's
   own numbers and the output says so (without naming the other student). A submitter not on the roster,
   or a group submission, is not graded: results.json scores 0 and says why and what to do.

Secrets. ``xent_gradescope.json`` holds the key and, of the roster, only what matching needs (ids, and SIS
ids and emails mapped to ids; no names). It is read and deleted by a child process that exits before Otter
starts, so neither the file nor a process holding the key exists while the student's code runs, and nothing
shown to students quotes it. The zip itself must stay private (upload it to Gradescope; do not share it):
whoever holds it can compute every student's numbers.

Trust model: Gradescope is the convenient path, the local grader (``autograder grade``) the secure one.
Under Gradescope, Otter runs the tests *in the student's own kernel*, after the student's cells, reading
names from the notebook's globals: a later cell of the student's could rebind ``PARAMS`` (or the numbers'
names) to values that suit its answers, or monkeypatch what the tests call, and Otter's hidden tests sit on
the same disk as the student's code. The local grader runs the student's cells in a sandbox and its tests
in a separate trusted process, with ``PARAMS`` supplied by the grader (a fresh copy per test), so none of
that works there. Grade with ``autograder grade --roster R --key-file K`` whenever a score matters; compare
with Gradescope's scores to catch a notebook that games them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from autograder import gradescope_runtime, variantdraw
from autograder.cells import SETUP_MARKER
from autograder.otterformat import OTTER_CELL
from autograder.variants import ZIP_DRAW_FILE, ZIP_VARIANT_FILE, MIN_KEY_BYTES, Roster, VariantError, VariantSpec

RUN_OTTER = "run_otter.py"  # run_autograder runs /autograder/source/run_otter.py
RUNTIME_FILE = "xent_gradescope.py"
SECRETS_FILE = gradescope_runtime.SECRETS_FILE
DIR_VARIABLE = gradescope_runtime.DIR_VARIABLE

RUN_OTTER_SOURCE = '''"""Runs Otter-Grader's autograding process on the submitter's own numbers (xent-lab roster build).

xent_gradescope.py, beside this file, finds the submitter on the roster, rewrites the notebook's parameters
cell to their numbers, then calls otter.run.run_autograder.main (set XENT_AUTOGRADER_DIR to grade a folder
other than /autograder).
"""

import xent_gradescope

if __name__ == "__main__":
    xent_gradescope.main()
'''


def roster_maps(roster: Roster) -> tuple[list[str], dict[str, str]]:
    """The roster as matching needs it: every id, and each SIS id or email (lower-cased) to its id."""
    return [student.id for student in roster.students], {alias: student.id for alias, student
                                                         in sorted(roster.by_alias.items())}


def zip_entries(spec: VariantSpec, key: bytes, roster: Roster) -> dict[str, bytes]:
    """The entries a roster build adds to (or replaces in) a variant assignment's autograder zip, for
    Gradescope to grade each submission on its submitter's own numbers (module docstring).

    ``{"run_otter.py", "xent_gradescope.py", "xent_gradescope.json", "xent_variant.py",
    "xent_variantdraw.py": bytes}``; merge them over the zip's entries (they replace Otter's run_otter.py).
    The result holds the key: keep the zip private."""
    if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
        raise VariantError(f"the variant key must be at least {MIN_KEY_BYTES} bytes (read it with "
                           "variants.read_key); create one with `autograder keygen KEY`")
    if not roster.students:
        raise VariantError(f"{roster.path}: the roster lists no students; a Gradescope roster build needs every "
                           "student who will submit (add them, then rebuild)")
    ids, aliases = roster_maps(roster)
    secrets = {
        "assignment": spec.assignment,
        "key": base64.b64encode(key).decode("ascii"),
        "ids": ids,
        "aliases": aliases,
        # how autograder.cells.is_tooling_cell knows the cells a student did not write
        "tooling": {"prefixes": [SETUP_MARKER], "otter_cell": OTTER_CELL.pattern},
    }
    return {
        RUN_OTTER: RUN_OTTER_SOURCE.encode("utf-8"),
        RUNTIME_FILE: Path(gradescope_runtime.__file__).read_bytes(),
        SECRETS_FILE: (json.dumps(secrets, indent=1, sort_keys=True) + "\n").encode("utf-8"),
        ZIP_VARIANT_FILE: spec.source.encode("utf-8"),
        ZIP_DRAW_FILE: Path(variantdraw.__file__).read_bytes(),
    }

"""The Gradescope side of a roster build: give the submitted notebook its owner's numbers, then run Otter.

This file is copied verbatim into a roster build's autograder zip as ``xent_gradescope.py`` and runs there,
in Gradescope's image, which has otter-grader and numpy but not xent-lab: it needs only the standard library
and numpy, and imports nothing of xent-lab (``xent_variantdraw.py`` and ``xent_variant.py`` are its siblings
in the zip). :mod:`autograder.gradescope` writes the zip's entries and explains the trust model.

``run_otter.py`` calls :func:`main`, which

1. runs :func:`prepare` in a child process (``python xent_gradescope.py prepare DIR``). Only the child reads
   the secrets file (the variant key and the roster): it finds the submitter on the roster from
   ``submission_metadata.json``, computes their parameters, rewrites the notebook's parameters cell, deletes
   the secrets file and exits, so no process that lives while the student's code runs has held the key;
2. if the submitter was found, calls Otter's ``run_autograder`` and adds to ``results/results.json`` what the
   student should know (whose numbers were used and why); else writes a results.json scoring 0 with the
   reason and the fix.

``XENT_AUTOGRADER_DIR`` overrides the autograder folder (default ``/autograder``; tests use a fake one).
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import traceback
from pathlib import Path

DIR_VARIABLE = "XENT_AUTOGRADER_DIR"
DEFAULT_DIR = "/autograder"
SECRETS_FILE = "xent_gradescope.json"  # in source/: the key, the roster, the assignment (deleted before grading)
DRAW_FILE = "xent_variantdraw.py"
VARIANT_FILE = "xent_variant.py"
PARAMETERS_CELL_ID = "xent-parameters"
CONTACT = "Ask your instructor"


class Refused(Exception):
    """A submission that cannot be graded on its owner's numbers; the message is shown to the student."""


def autograder_dir() -> Path:
    return Path(os.environ.get(DIR_VARIABLE) or DEFAULT_DIR)


# ---------------------------------------------------------------- the child: secrets in, notebook out

def _load_variant_code(source: Path):
    """(variantdraw module, generate, check) from the zip's copies of variantdraw.py and variant.py."""
    sys.path.insert(0, str(source))
    import xent_variantdraw  # noqa: PLC0415 - the zip's verbatim copy of autograder/variantdraw.py

    namespace: dict = {"__name__": "xent_variant", "__file__": str(source / VARIANT_FILE)}
    code = (source / VARIANT_FILE).read_text(encoding="utf-8")
    exec(compile(code, str(source / VARIANT_FILE), "exec"), namespace)  # noqa: S102 - the course's own file
    return xent_variantdraw, namespace["generate"], namespace["check"]


def _find(roster: dict, value) -> str | None:
    """The roster id that *value* is: an id, else a SIS id or email (case-insensitive), exactly as
    variants.Roster.find decides on the instructor's machine (the build stores its two maps)."""
    if value is None or isinstance(value, bool):
        return None
    value = str(value).strip()
    if not value:
        return None
    return value if value in roster["ids"] else roster["aliases"].get(value.lower())


def find_owner(metadata: dict, roster: dict) -> str:
    """The roster id of the one user of a Gradescope submission: their ``sid`` (the student id Gradescope
    holds) matched to a roster id or SIS id, else their email. Raises Refused with the student's message."""
    users = metadata.get("users") if isinstance(metadata, dict) else None
    if not isinstance(users, list) or not users:
        raise Refused("Gradescope did not say whose submission this is, so the grader cannot tell which numbers "
                      f"are yours; nothing was graded. {CONTACT} to check the assignment's settings, then resubmit.")
    if len(users) > 1:
        raise Refused(f"This is a group submission of {len(users)} students, but every student has their own "
                      "numbers in this assignment, so one notebook cannot be graded for all of you; nothing was "
                      "graded. Each of you: submit your own notebook on your own.")
    user = users[0] if isinstance(users[0], dict) else {}
    owner = _find(roster, user.get("sid")) or _find(roster, user.get("email"))
    if owner is None:
        shown = ", ".join(f"{label} {str(user.get(key))[:100]}" for key, label in
                          (("email", "email"), ("sid", "student id")) if user.get(key) not in (None, ""))
        raise Refused(f"Your Gradescope account ({shown or 'no email or student id'}) is not on this "
                      "assignment's roster, so the grader cannot tell which numbers are yours; nothing was "
                      f"graded (score 0). {CONTACT} to add you to the roster and rebuild the autograder, then "
                      "resubmit.")
    return owner


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _is_tooling(source: str, tooling: dict) -> bool:
    """Otter's own cells and the setup cell (as autograder.cells.is_tooling_cell decides)."""
    if source.lstrip().startswith(tuple(tooling["prefixes"])):
        return True
    lines = [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    pattern = re.compile(tooling["otter_cell"], re.MULTILINE)
    return bool(lines) and all(pattern.match(line) for line in lines)


def set_parameters(nb: dict, cell_source: str, is_parameters_cell, tooling: dict) -> str:
    """Give *nb* (notebook JSON) the parameters cell *cell_source*, as the local grader does: the first
    parameters cell is replaced, later ones are emptied; a notebook without one gets it before its first
    code cell that is not Otter's or the setup cell. Returns what was done, for the record."""
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise ValueError("the notebook has no list of cells")
    replaced = False
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if is_parameters_cell(_text(cell.get("source"))):
            cell["source"] = "" if replaced else cell_source  # a second one would rebind the numbers
            cell["outputs"], cell["execution_count"] = [], None
            replaced = True
    if replaced:
        return "replaced"
    new = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": cell_source}
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
        ids = {cell.get("id") for cell in cells if isinstance(cell, dict)}
        new["id"] = next(f"{PARAMETERS_CELL_ID}-{n}" if n else PARAMETERS_CELL_ID for n in range(len(ids) + 1)
                         if (f"{PARAMETERS_CELL_ID}-{n}" if n else PARAMETERS_CELL_ID) not in ids)
    position = next((index for index, cell in enumerate(cells) if isinstance(cell, dict)
                     and cell.get("cell_type") == "code" and _text(cell.get("source")).strip()
                     and not _is_tooling(_text(cell.get("source")), tooling)), len(cells))
    cells.insert(position, new)
    return "inserted"


def tag_note(nb: dict, draw, key: bytes, assignment: str, owner: str) -> str:
    """What the student should know about the notebook's variant tag ("" when it is theirs or absent)."""
    section = nb.get("metadata", {}).get(draw.METADATA_KEY) if isinstance(nb.get("metadata"), dict) else None
    variant = section.get("variant") if isinstance(section, dict) else None
    if not isinstance(variant, dict):
        return ""
    claimed, tag, issued_for = variant.get("student"), variant.get("tag"), variant.get("assignment")
    if not all(isinstance(v, str) for v in (claimed, tag, issued_for)):
        return ""
    genuine = issued_for == assignment and draw.tag_is_valid(key, assignment, claimed, tag)
    if genuine and claimed == owner:
        return ""
    if genuine:
        return ("This notebook was issued to another student, not to you. It was graded on your own numbers, "
                "so answers that depend on the numbers are checked against yours. Download your own copy of "
                "the notebook, put your answers in it and resubmit.")
    return ("This notebook's variant tag (metadata.xent.variant) is not one the course issued. It was graded on "
            "your own numbers, whatever its parameters cell says.")


def prepare(root: Path) -> dict:
    """The child's work (see the module docstring). Returns {"ok": True, "student", "params", "notes"} or
    {"ok": False, "message"}; the secrets file is gone when it returns."""
    source, secrets_path = root / "source", root / "source" / SECRETS_FILE
    try:
        secrets = json.loads(secrets_path.read_text(encoding="utf-8"))
    finally:
        secrets_path.unlink(missing_ok=True)  # student code never sees the key or the roster
    key = base64.b64decode(secrets["key"])
    assignment, tooling = secrets["assignment"], secrets["tooling"]
    roster = {"ids": set(secrets["ids"]), "aliases": secrets["aliases"]}
    del secrets
    try:
        metadata = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        metadata = {}
    try:
        owner = find_owner(metadata, roster)
    except Refused as refused:
        return {"ok": False, "message": str(refused)}
    draw, generate, check = _load_variant_code(source)
    params = draw.draw(generate, check, draw.seed(key, assignment, owner))
    notes = []
    notebooks = sorted((root / "submission").glob("*.ipynb"))
    if len(notebooks) == 1:  # otherwise Otter reports "no notebook" or "more than one" itself
        path = notebooks[0]
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(nb, dict):
                raise ValueError("not a notebook")
        except (OSError, ValueError):
            nb = None  # Otter reports a notebook it cannot read
        if nb is not None:
            note = tag_note(nb, draw, key, assignment, owner)
            if note:
                notes.append(note)
            set_parameters(nb, draw.parameters_source(params), draw.is_parameters_cell, tooling)
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"ok": True, "student": owner, "params": params, "notes": notes}


# ---------------------------------------------------------------- the parent: Otter and results.json

def _render(text: str, params: dict, draw) -> str:
    try:
        return draw.render(text, params)
    except Exception:  # noqa: BLE001 - a text that is not a template stays as it is
        return text


def refusal(message: str) -> dict:
    """results.json for a submission that was not graded: score 0, the reason shown to the student."""
    return {"score": 0.0, "output": message, "stdout_visibility": "hidden",
            "tests": [{"name": "Your numbers", "score": 0.0, "max_score": 0.0, "status": "failed",
                       "output": message, "visibility": "visible"}]}


def amend_results(path: Path, decision: dict, source: Path) -> None:
    """Otter's results.json with the notes first in its output and ``{{ name }}`` in test outputs quoting the
    student's own numbers (as the local grader's feedback does)."""
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # Otter wrote nothing; Gradescope reports the failed run
    sys.path.insert(0, str(source))
    import xent_variantdraw as draw  # noqa: PLC0415

    line = f"Graded on the numbers issued to student {decision['student']}."
    results["output"] = "\n\n".join([line, *decision["notes"], str(results.get("output") or "")]).strip()
    for test in results.get("tests", []):
        if isinstance(test, dict) and isinstance(test.get("output"), str) and "{{" in test["output"]:
            test["output"] = _render(test["output"], decision["params"], draw)
    path.write_text(json.dumps(results, indent=4), encoding="utf-8")


def _write(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=4), encoding="utf-8")


def main() -> None:
    root = autograder_dir()
    source, results = root / "source", root / "results" / "results.json"
    child = subprocess.run([sys.executable, str(Path(__file__).resolve()), "prepare", str(root)],
                           capture_output=True, text=True)
    (source / SECRETS_FILE).unlink(missing_ok=True)  # gone even if the child failed early
    try:
        decision = json.loads(child.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"xent-lab: working out the student's numbers failed (exit {child.returncode}):\n"
              f"{child.stderr[-3000:]}")
        _write(results, refusal("The grader could not work out your numbers because of a problem in the "
                                f"autograder, not in your work; nothing was graded. {CONTACT} to look at this "
                                "submission's autograder output, then resubmit."))
        sys.exit(1)
    if not decision["ok"]:
        _write(results, refusal(decision["message"]))
        return
    from otter.run.run_autograder import main as run_autograder  # noqa: PLC0415 - Gradescope's otter-grader

    try:
        run_autograder(str(root))
    finally:
        amend_results(results, decision, source)


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "prepare":
    # The child: its one stdout line is the decision (anything else it prints goes to stderr).
    real_stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        outcome = prepare(Path(sys.argv[2]))
    except Exception:  # noqa: BLE001 - reported by the parent
        traceback.print_exc()
        sys.exit(1)
    real_stdout.write(json.dumps(outcome) + "\n")

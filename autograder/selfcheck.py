"""The student copy's self-check: a setup cell that carries the public tests, and a "before you submit" cell.

Otter's own first cell, ``grader = otter.Notebook("<name>.ipynb")``, reads the public tests from the
notebook file on disk. That fails on Colab (the kernel cannot read the notebook; Otter refuses metadata
tests there) and whenever the file was renamed. The build therefore replaces it with a setup cell that

- installs, with ``%pip``, only the packages whose import fails (nothing when all are present);
- writes the notebook's public tests, embedded in the cell as a Python literal, to a private temporary
  folder and starts ``otter.Notebook(tests_dir=that folder)``, so ``grader.check("q1")`` works with no
  other file, in any working folder, under any file name;
- finds the notebook's own file only when the student hands it in (VS Code's ``__vsc_ipynb_file__``,
  Jupyter's ``JPY_SESSION_NAME``, else the newest ``*.ipynb`` of this assignment in the working folder).

Only public test cases are embedded; the audit (audit.py) parses the cell and proves it. The grader never
runs this cell (cells.py skips it by its first line); ``otter run`` does, and Otter's grading mode then
swaps in the full tests. Reasons and alternatives: docs/design-decisions.md, "Student self-check".
"""

from __future__ import annotations

import ast
import pprint
import re
import sys

import nbformat

from xentcore.errors import BuildError, NotebookReadError

from autograder.cells import SETUP_MARKER  # noqa: E402 - one definition, shared with the graders
SUBMIT_MARKER = "# Before you submit: save the notebook (Ctrl+S / Cmd+S), then run this cell."
OTTER_VERSION = "7.0.0"
# What a check cell says when the setup cell has not run (it defines `grader`).
NO_SETUP = ("The setup cell (the first code cell) has not run: run it first, or, if it was deleted or edited, "
            "download a fresh copy of the notebook and paste your answers into it.")
OTTER_CHECK = re.compile(r'^\s*(grader\.check\("q\w+"\))\s*$')
# Import name -> what pip installs for it. A notebook importing anything else (outside the standard
# library) fails the build, so no student copy asks for a package we never tried.
PIP_NAMES = {
    "otter": f"otter-grader=={OTTER_VERSION}",
    "numpy": "numpy",
    "matplotlib": "matplotlib",
    "sympy": "sympy",
    "scipy": "scipy",
}

SETUP_TEMPLATE = '''\
{marker}
# It installs what this notebook needs if your Python lacks it, and loads the public tests.
def _xent_setup(assignment, packages, tests, hidden):
    import glob, importlib, importlib.util, json, os, re, sys, tempfile
    missing = [pip for module, pip in packages if importlib.util.find_spec(module) is None]
    if missing:
        print(f"Installing {{', '.join(missing)}}, which this notebook needs and this Python lacks "
              "(only this once; it takes a minute or two).")
        get_ipython().run_line_magic("pip", "install --quiet " + " ".join(missing))  # %pip install ...
        importlib.invalidate_caches()
    import otter

    folder = tempfile.mkdtemp(prefix=f"xent-{{assignment}}-tests-")
    for question, test in tests.items():
        with open(os.path.join(folder, question + ".py"), "w", encoding="utf-8") as handle:
            handle.write("OK_FORMAT = True\\n\\ntest = " + repr(test) + "\\n")

    def notebook_file():
        """This notebook's file, if the kernel can see it (never on Colab)."""
        try:
            user_ns = get_ipython().user_ns
        except NameError:  # plain Python, not a notebook kernel
            user_ns = {{}}
        for path in (user_ns.get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME"),
                     user_ns.get("__session__")):
            if isinstance(path, str) and path.endswith(".ipynb") and os.path.isfile(path):
                return os.path.abspath(path)
        # Several copies of this assignment may sit here: take the one whose saved code cells this
        # kernel ran (In holds every input), then the most recently saved.
        ran = {{text.strip() for text in user_ns.get("In", []) if isinstance(text, str)}}
        mine = []
        for path in glob.glob("*.ipynb"):
            try:
                with open(path, encoding="utf-8") as handle:
                    data = json.load(handle)
                if data["metadata"]["otter"]["assignment_name"] != assignment:
                    continue
                sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                           for c in data["cells"] if c["cell_type"] == "code"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            mine.append((sum(text.strip() in ran for text in sources), os.path.getmtime(path), path))
        return os.path.abspath(max(mine)[2]) if mine else None

    class Passed:
        def __init__(self, question, count):
            self.question, self.count = question, count

        def __repr__(self):
            text = (f"{{self.question}}: all {{self.count}} public tests passed." if self.count > 1
                    else f"{{self.question}}: the public test passed.")
            if hidden.get(self.question):
                text += (" When your work is graded, hidden tests also check that: "
                         + "; ".join(hidden[self.question]) + ".")
            return text

    class Failed:
        def __init__(self, question, result):
            self.question, self.result = question, result

        def __repr__(self):
            cases = self.result.test_case_results
            lines = [f"{{self.question}}: {{sum(c.passed for c in cases)}} of {{len(cases)}} public tests passed."]
            for case in cases:
                if not case.passed:
                    found = [line.strip() for line in (case.message or "").splitlines() if line.strip()]
                    errors = [line for line in found if re.match(r"[\\w.]+(Error|Exception)\\b", line)]
                    reason = errors[0] if errors else (found[-1] if found else "failed")
                    lines.append(f"  - {{case.test_case.failure_message or case.test_case.name}}: {{reason}}")
            return "\\n".join(lines)

    class Grader(otter.Notebook):
        def check(self, question, global_env=None):
            if global_env is None:
                global_env = sys._getframe(1).f_globals
            if type(self)._grading_mode:
                return super().check(question, global_env)
            if question not in tests:
                print(f"There are no public tests for {{question!r}} in this notebook: "
                      f"check one of {{', '.join(tests)}}.")
                return None
            result = super().check(question, global_env)
            if getattr(result, "passed_all", False):
                return Passed(question, len(tests[question]["suites"][0]["cases"]))
            return Failed(question, result) if hasattr(result, "test_case_results") else result

        def check_all(self):
            env = sys._getframe(1).f_globals
            failing = []
            for question in tests:
                result = self.check(question, env)
                if not isinstance(result, Passed):
                    failing.append(question)
                    print(result)
            if failing:
                print(f"Public tests fail on {{', '.join(failing)}}: fix those answers and run this cell again.")
            else:
                print(f"The public tests of all {{len(tests)}} questions passed.")

        def export(self, *args, **kwargs):
            path = notebook_file()
            if path is None:
                print("Download this notebook (on Colab: File > Download > Download .ipynb) and upload "
                      "that .ipynb file as your submission.")
            else:
                print(f"Upload this file as your submission: {{path}} (save the notebook first, so the "
                      "file holds your latest answers).")

    if otter.Notebook._grading_mode:
        return Grader(tests_dir=folder)
    path = notebook_file()
    here = os.getcwd()
    try:
        os.chdir(folder)  # Otter reads the only notebook of its working folder, if any: give it none
        return Grader(nb_path=path, tests_dir=folder)
    finally:
        os.chdir(here)


grader = _xent_setup(
    {assignment!r},
    {packages},
    {tests},
    {hidden},
)
del _xent_setup
'''

SUBMIT_SOURCE = f"""{SUBMIT_MARKER}
grader.check_all() if "grader" in globals() else print({NO_SETUP!r})
grader.export() if "grader" in globals() else print(end="")"""


def _literal(value) -> str:
    text = pprint.pformat(value, width=108, sort_dicts=True)
    return text.replace("\n", "\n    ")


def required_modules(nb: nbformat.NotebookNode, public_code: list[str], origin: str) -> list[str]:
    """Top-level modules the student copy and its public tests import, outside the standard library."""
    modules = {"otter"}
    for source in [c.source for c in nb.cells if c.cell_type == "code"] + public_code:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # a student placeholder; it imports nothing
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module.split(".")[0])
    modules -= set(sys.stdlib_module_names)
    unknown = sorted(modules - set(PIP_NAMES))
    if unknown:
        raise BuildError(f"{origin}: the notebook imports {', '.join(unknown)}, which the setup cell cannot "
                         "install; add the pip name to PIP_NAMES in autograder/selfcheck.py")
    return sorted(modules)


def setup_source(assignment: str, modules: list[str], tests: dict, hidden: dict[str, list[str]]) -> str:
    packages = [(module, PIP_NAMES[module]) for module in modules]
    text = SETUP_TEMPLATE.format(marker=SETUP_MARKER, assignment=assignment, packages=_literal(packages),
                                 tests=_literal(tests), hidden=_literal(hidden))
    ast.parse(text)
    return text


def guarded_check(source: str) -> str:
    """An Otter check cell (``grader.check("q1")``) that, when the setup cell never ran (deleted, edited, or
    not run yet), says so in one sentence instead of raising ``NameError: grader``. Still one line that
    calls ``grader.``, so the graders skip it like any Otter cell."""
    match = OTTER_CHECK.match(source)
    if not match:
        return source
    return f'{match.group(1)} if "grader" in globals() else print({NO_SETUP!r})'


def install(nb: nbformat.NotebookNode, setup: str, origin: str) -> None:
    """Replace Otter's first cell with *setup*, guard every check cell, and append the before-you-submit cell."""
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "code" or "otter.Notebook(" not in first.source:
        raise BuildError(f"{origin}: Otter Assign wrote no 'grader = otter.Notebook(...)' first cell; keep "
                         "'init_cell: true' in the ASSIGNMENT CONFIG")
    first.source = setup
    for cell in nb.cells[1:]:
        if cell.cell_type == "code":
            cell.source = guarded_check(cell.source)
    submit = nbformat.v4.new_code_cell(SUBMIT_SOURCE)
    submit.metadata = {"deletable": False, "editable": False}
    nb.cells.append(submit)


def is_setup_cell(source: str) -> bool:
    return source.lstrip().startswith(SETUP_MARKER)


def embedded_tests(nb: nbformat.NotebookNode, origin: str) -> tuple[dict, dict]:
    """The (tests, hidden descriptions) literals of a student copy's setup cell, read without running it."""
    for cell in nb.cells:
        if cell.cell_type == "code" and is_setup_cell(cell.source):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                break
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_xent_setup" \
                        and len(node.args) == 4:
                    try:
                        return ast.literal_eval(node.args[2]), ast.literal_eval(node.args[3])
                    except ValueError:
                        break
            break
    raise NotebookReadError(f"{origin}: the setup cell (the first code cell) was deleted or edited; download a "
                            "fresh copy of the notebook and paste your answers into it")

"""A student's Python: a fresh virtualenv with only otter-grader, ipykernel and the notebooks' imports.

It is made once (about 45 s from PyPI, about 15 s from pip's cache) and kept under .venv/student-envs/,
keyed by its requirements, so later sessions reuse it; a file lock lets parallel test workers share it.
Notebooks run in a kernel of that Python, never the project's: xent-lab is not importable there.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from autograder.selfcheck import is_setup_cell

from conftest import ROOT

KERNEL_NAME = "xent-student"
# What Colab's shell looks like to Otter: str(get_ipython()) names google.colab (otter/check/utils.py,
# _Interpreter.running). The fake package also makes `import google.colab` succeed, as on Colab.
FAKE_COLAB = {
    "google/__init__.py": "",
    "google/colab/__init__.py": '"""Stand-in for Colab\'s package in tests."""\n',
    "google/colab/_shell.py": '"""Stand-in for Colab\'s shell module in tests."""\n',
    "xent_fake_colab.py": (
        "import IPython\n"
        "import google.colab._shell\n"
        "_shell = IPython.get_ipython()\n"
        "_shell.__class__ = type('Shell', (type(_shell),), {'__module__': 'google.colab._shell'})\n"
    ),
}


def requirements(notebooks: list[Path]) -> list[str]:
    """ipykernel plus the packages the setup cells of *notebooks* install when missing."""
    wanted = {"ipykernel"}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        setup = next(c.source for c in nb.cells if c.cell_type == "code" and is_setup_cell(c.source))
        call = next(node for node in ast.walk(ast.parse(setup))
                    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_xent_setup")
        wanted |= {pip for _, pip in ast.literal_eval(call.args[1])}
    return sorted(wanted)


def student_python(reqs: list[str]) -> Path:
    key = hashlib.sha256(json.dumps([sys.version_info[:2], reqs]).encode()).hexdigest()[:12]
    home = ROOT / ".venv" / "student-envs" / key
    python = home / "bin" / "python"
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / ".ready").is_file():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(home)], check=True)
            proc = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *reqs],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"could not install {reqs} into {home} (needs PyPI):\n{proc.stderr[-2000:]}")
            (home / ".ready").write_text("\n".join(reqs) + "\n")
    return python


def kernel_specs(python: Path, folder: Path, *, colab: bool) -> Path:
    """A kernelspec folder whose kernel runs *python*; with *colab* it looks like Google Colab to Otter."""
    env = {"PYTHONPATH": "", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    if colab:
        fake = folder / "fake-colab"
        for name, text in FAKE_COLAB.items():
            (fake / name).parent.mkdir(parents=True, exist_ok=True)
            (fake / name).write_text(text)
        env["PYTHONPATH"] = str(fake)
        argv.append("--IPKernelApp.exec_lines=['import xent_fake_colab']")
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "student", "language": "python",
                                                  "env": env}))
    return folder / "kernels"


def run_notebook(nb: nbformat.NotebookNode, python: Path, cwd: Path, specs_dir: Path, *, colab: bool = False,
                 timeout: int = 180) -> nbformat.NotebookNode:
    """Execute *nb* (errors kept as outputs) in a kernel of *python* whose working folder is *cwd*."""
    from nbclient import NotebookClient

    specs = kernel_specs(python, specs_dir, colab=colab)
    saved = {key: os.environ.get(key) for key in ("JUPYTER_PATH", "JPY_SESSION_NAME")}
    os.environ["JUPYTER_PATH"] = str(specs.parent)  # where nbclient's kernel manager finds the kernelspec
    os.environ.pop("JPY_SESSION_NAME", None)
    try:
        NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=timeout, allow_errors=True,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return nb


def output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") in ("execute_result", "display_data"):
            parts.append(str(output.get("data", {}).get("text/plain", "")))
        elif output.get("output_type") == "error":
            parts.append(f"ERROR {output.get('ename')}: {output.get('evalue')}")
    return "".join(parts)

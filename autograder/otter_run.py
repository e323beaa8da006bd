"""Grade one notebook with Otter's own ``otter run`` (the reference behaviour xent-lab conforms to)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from xentcore.errors import GradingError


def otter_scores(zip_path: Path, notebook: Path, *, name: str, timeout: float = 600.0) -> dict[str, float]:
    """Score per question that ``otter run`` gives *notebook* with the autograder *zip_path*."""
    with tempfile.TemporaryDirectory(prefix="xent-otter-") as tmp:
        submission = Path(tmp) / f"{name}.ipynb"
        shutil.copyfile(notebook, submission)
        out = Path(tmp) / "out"
        out.mkdir()
        proc = subprocess.run(
            [sys.executable, "-m", "otter", "run", "-a", str(Path(zip_path).resolve()), "-o", str(out),
             "--no-logo", str(submission)],
            cwd=tmp, capture_output=True, text=True, timeout=timeout,
        )
        results = out / "results.json"
        if not results.is_file():
            tail = "\n".join((proc.stderr + proc.stdout).strip().splitlines()[-10:])
            raise GradingError(f"otter run wrote no results for {notebook} (exit {proc.returncode}):\n{tail}")
        data = json.loads(results.read_text())
    return {test["name"]: float(test["score"]) for test in data["tests"]
            if "score" in test and test["name"] != "Public Tests"}

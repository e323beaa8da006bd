"""A grading command's limits on each submission (standard library only: the CLI reads them before any
heavy import)."""

from __future__ import annotations

from dataclasses import dataclass

# A submission file larger than this is `invalid-notebook`, read from the file system before it is opened
# and before its time budget starts (so the same file always gets the same status).
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0
    cell_timeout: float = 30.0
    memory_mb: int = 2048

    def for_sandbox(self) -> dict:
        return {"memory_mb": self.memory_mb, "cpu_seconds": int(self.timeout) + 5, "processes": 64}

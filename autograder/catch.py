"""How many of an assignment's mutants its public tests alone catch, and whether its hidden tests alone do.

Read from the mutant patterns the build measures (which test cases each mutant fails): a mutant is caught
by the public tests when it fails at least one public case, by the hidden tests when it fails at least one
hidden case. Students see only public results while they work, so the public share says how often
"all public tests passed" would be said of a plausible wrong answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.testfiles import TestCase


@dataclass(frozen=True)
class CatchShare:
    name: str
    mutants: tuple[str, ...]
    caught_by_public: tuple[str, ...]
    missed_by_hidden: tuple[str, ...]

    @property
    def share(self) -> float:
        return len(self.caught_by_public) / len(self.mutants) if self.mutants else 1.0

    def describe(self) -> str:
        text = (f"{self.name}: public tests alone catch {len(self.caught_by_public)} of {len(self.mutants)} "
                f"mutants ({100 * self.share:.0f} %)")
        if self.missed_by_hidden:
            text += f"; hidden tests alone miss {', '.join(self.missed_by_hidden)}"
        return text


def catch_share(name: str, cases: list[TestCase], patterns: list[dict]) -> CatchShare:
    hidden = {case.key: case.hidden for case in cases}
    public_caught, hidden_missed = [], []
    for pattern in patterns:
        failed = [key for keys in pattern["failed"].values() for key in keys]
        if any(not hidden.get(key, True) for key in failed):
            public_caught.append(pattern["slug"])
        if not any(hidden.get(key, False) for key in failed):
            hidden_missed.append(pattern["slug"])
    return CatchShare(name=name, mutants=tuple(p["slug"] for p in patterns), caught_by_public=tuple(public_caught),
                      missed_by_hidden=tuple(hidden_missed))

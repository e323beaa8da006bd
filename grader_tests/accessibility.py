"""axe-core (npm, installed from package-lock.json) run inside a Playwright page: WCAG 2.1 A/AA violations."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz_fixtures import npm_package

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' -> ' + n.failureSummary.replace(/\\n/g, ' '))}));
}"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """node_modules/axe-core/axe.min.js."""
    return npm_package("axe-core") / "axe.min.js"


def axe_violations(page, script: Path) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node}" for node in violation["nodes"]]
    return "\n".join(lines)

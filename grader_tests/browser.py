"""Headless Chromium for browser tests: found, or installed from Debian's packages when possible."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _install_chromium() -> str | None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"]):
        if subprocess.run(command, env=env, capture_output=True, timeout=900).returncode != 0:
            return None
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    """A Playwright Chromium browser (Debian's chromium binary, no browser download)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser") or _install_chromium()
    if not path:
        pytest.skip("headless Chromium is not installed and cannot be installed here (needs root and apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=FLAGS)
        yield instance
        instance.close()


def open_page(browser, url: str):
    """A page at *url*, with console errors and failed requests collected in page.problems."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.problems = []
    page.on("console", lambda msg: page.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda request: page.problems.append(f"request failed: {request.url}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


# JavaScript run in the page: every <img> decoded, with more than a handful of colours.
IMAGES_OK = """() => Array.from(document.images).map(img => {
  if (!img.complete || img.naturalWidth === 0) return {src: img.alt, ok: false, colours: 0};
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d'); ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length && seen.size < 50; i += 4 * 97) seen.add(data[i] + ',' + data[i+1] + ',' + data[i+2]);
  return {src: img.alt, ok: true, colours: seen.size};
})"""

# MathML laid out as mathematics: a fraction's numerator sits above its denominator.
MATH_OK = """() => {
  const maths = Array.from(document.querySelectorAll('math'));
  const sized = maths.filter(m => { const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  const fractions = Array.from(document.querySelectorAll('mfrac')).filter(f => f.children.length === 2);
  const stacked = fractions.filter(f => f.children[0].getBoundingClientRect().bottom <=
                                        f.children[1].getBoundingClientRect().top + 1);
  return {maths: maths.length, sized: sized.length, fractions: fractions.length, stacked: stacked.length};
}"""

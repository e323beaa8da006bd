"""`autograder review` driven in headless Chromium (Playwright, Debian's chromium) against a real server
subprocess and its SQLite database: keyboard-only grading into final_grades.csv, rubric edits that re-score,
two graders in conflict, kill -9 durability, hostile answers, token and CSRF, and axe-core on every page."""

from __future__ import annotations

import csv
import json
import os
import re
import signal

import pytest

from autograder import results
from autograder.lms import final_gradebook
from autograder.review.store import DB_FILE, Store

from accessibility import axe_script, axe_violations, describe  # noqa: F401 - fixture
from browser import open_page
from conftest import ROOT
from review_fixtures import fetch, numbered_class, start_server, write_class

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.stop(signal.SIGKILL)


def open_for_axe(browser, url):
    """A page whose own Content-Security-Policy is bypassed, so axe-core can be injected into it (the app's
    policy allows no script but its own)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page.problems = []
    page.on("console", lambda msg: page.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def serve(servers, out, *extra):
    server = start_server(out, *extra)
    servers.append(server)
    return server


def store_of(out):
    return Store.open(out / DB_FILE, assignment="coin_mle", create=False)


def wait_saved(page, count_before):
    """Wait until the page has announced one more acknowledged save than *count_before*."""
    page.wait_for_function("(n) => window.__saves > n", arg=count_before)


SAVES = """() => { window.__saves = 0; new MutationObserver(() => {
  if (document.getElementById('status').textContent.startsWith('Saved')) window.__saves += 1; })
  .observe(document.getElementById('status'), {childList: true, characterData: true, subtree: true}); }"""


def on_answer(page):
    page.wait_for_load_state("load")
    page.evaluate(SAVES)
    return page.locator(".who .member").first.inner_text().split()[0]


def press(page, key):
    before = page.evaluate("() => window.__saves")
    page.keyboard.press(key)
    wait_saved(page, before)


def test_keyboard_only_grading_of_20_answers_reaches_the_final_gradebook(browser, tmp_path, servers):
    numbered_class(tmp_path, 20)
    server = serve(servers, tmp_path)
    page = open_page(browser, server.url)
    assert page.url == server.base + "/"  # the token moved into a cookie and out of the address
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == "q6":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expected = {}
    for step in range(20):
        alias = on_answer(page)
        number = int(alias.split("-")[1])
        kind = number % 4
        if kind == 0:
            press(page, "Enter")  # graded with no item: 0 points
            points = 0.0
        elif kind == 1:
            press(page, "1")
            points = 1.0
        elif kind == 2:
            press(page, "1")
            press(page, "2")
            page.keyboard.press("c")
            page.keyboard.type("Check the second derivative.")
            press(page, "Enter")
            points = 2.0
        else:
            for key in ("1", "3", "3", "2"):  # item 3 on and off again
                press(page, key)
            page.keyboard.press("a")
            page.keyboard.type("0.5")
            page.keyboard.press("Tab")
            page.keyboard.type("neat argument")
            press(page, "Enter")
            points = 2.5
        expected[f"s{number - 1:03d}"] = points
        with page.expect_navigation():
            page.keyboard.press("n")
    assert len(expected) == 20 and "done=1" in page.url
    assert page.problems == []
    with (final_gradebook("coin_mle", tmp_path, root=ROOT).path).open(newline="") as handle:
        book = {r["submission"]: r for r in csv.DictReader(handle)}
    assert {s: float(r["q6"]) for s, r in book.items()} == expected
    assert all(r["q10"] == "" for r in book.values())
    store = store_of(tmp_path)
    comments = {store.group(g).submissions[0]: store.group(g).comment for g in store.order("q6")}
    assert sum(c == "Check the second derivative." for c in comments.values()) == 5
    store.close()


def test_raising_an_items_points_rescores_the_graded_answers_with_an_audit_row(browser, tmp_path, servers):
    numbered_class(tmp_path, 14)
    server = serve(servers, tmp_path, "--grader", "ann")
    page = open_page(browser, server.url.replace("/?", "/q/q6/next?"))
    for _ in range(10):
        on_answer(page)
        press(page, "1")
        with page.expect_navigation():
            page.keyboard.press("n")
    on_answer(page)
    page.keyboard.press("e")
    page.keyboard.press("Tab")  # from item 1's text to its points
    page.keyboard.press("Control+a")
    page.keyboard.type("2.5")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    store = store_of(tmp_path)
    scores = store.manual_scores()
    assert sorted(scores.values()) == [2.5] * 10
    audit = store.audit_rows()
    assert len(audit) == 1 and audit[0]["grader"] == "ann" and audit[0]["action"] == "edit item"
    assert json.loads(audit[0]["before"])[0]["points"] == 1 and json.loads(audit[0]["after"])[0]["points"] == 2.5
    store.close()
    assert page.problems == []


def test_two_graders_writing_one_answer_get_a_conflict_and_nothing_is_lost(browser, tmp_path, servers, axe_script):
    numbered_class(tmp_path, 3)
    ann = serve(servers, tmp_path, "--grader", "ann")
    bob = serve(servers, tmp_path, "--grader", "bob")
    page_ann = open_page(browser, ann.url.replace("/?", "/q/q6/0?"))
    page_bob = open_for_axe(browser, bob.url.replace("/?", "/q/q6/0?"))
    on_answer(page_ann)
    on_answer(page_bob)
    press(page_ann, "1")
    page_bob.keyboard.press("2")
    alert = page_bob.locator("#conflict")
    alert.wait_for(state="visible")
    assert "your change was not saved" in alert.inner_text() and "by ann" in alert.inner_text()
    assert "Your version:" in alert.inner_text() and "[item 2]" in alert.inner_text()
    assert page_bob.locator("input.item").nth(0).is_checked() and not page_bob.locator("input.item").nth(1).is_checked()
    violations = axe_violations(page_bob, axe_script)
    assert violations == [], describe(violations)
    store = store_of(tmp_path)
    group = store.group(store.order("q6")[0])
    assert (group.items, group.grader, group.score) == ([store.rubric("q6")[0].id], "ann", 1.0)
    press(page_bob, "2")  # redone on top of ann's version
    group = store.group(store.order("q6")[0])
    assert group.score == 2.0 and group.grader == "bob"
    store.close()


def test_kill_9_after_15_acknowledged_actions_loses_none(tmp_path, servers):
    answers = numbered_class(tmp_path, 20)
    server = serve(servers, tmp_path)
    status, _, headers = fetch(server.url)
    cookie = headers["set-cookie"].split(";")[0]
    _, body, _ = fetch(server.base + "/q/q6/0", headers={"Cookie": cookie})
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', body).group(1)
    store = store_of(tmp_path)
    groups, rubric = store.order("q6"), [i.id for i in store.rubric("q6")]
    store.close()
    sent = {}
    for number in range(15):
        items = rubric[: number % 3 + 1]
        data = json.dumps({"group": groups[number], "version": 0, "items": items}).encode()
        status, reply, _ = fetch(server.base + "/api/grade", method="POST", data=data,
                                 headers={"Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json"})
        assert status == 200, reply
        sent[groups[number]] = items
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=30)
    store = store_of(tmp_path)
    rewritten = store.group(groups[0]).submissions[0]
    store.close()
    answers[rewritten]["q6"] = "An answer rewritten before `grade` ran again."
    write_class(tmp_path, answers)
    again = serve(servers, tmp_path)
    status, body, headers = fetch(again.url)
    cookie = headers["set-cookie"].split(";")[0]
    _, index, _ = fetch(again.base + "/", headers={"Cookie": cookie})
    assert "15 of 20 answer groups graded" in index
    _, first, _ = fetch(again.base + f"/q/q6/{0}", headers={"Cookie": cookie})
    assert "Changed since graded" in first and "rewritten before" in first
    store = store_of(tmp_path)
    assert {g: store.group(g).items for g in groups if store.group(g).graded} == sent
    store.close()


HOSTILE = {
    "script": "<script>window.pwned = 'script'</script>Hello",
    "handler": '<img src="x" onerror="window.pwned = \'handler\'"> and <b onmouseover="window.pwned=1">bold</b>',
    "link": "[click me](javascript:window.pwned='link') and <a href=\"javascript:window.pwned='a'\">here</a>",
    "remote": "![tracker](http://203.0.113.9/pixel.png) <iframe src='http://203.0.113.9/'></iframe>",
    "huge": "$x$ " + "A" * 1_000_000,
}


def test_hostile_answers_render_inert_and_requests_need_token_and_csrf(browser, tmp_path, servers, axe_script):
    write_class(tmp_path, {name: {"q6": text, "q10": ""} for name, text in HOSTILE.items()})
    server = serve(servers, tmp_path, "--names")
    page = open_page(browser, server.url.replace("/?", "/q/q6/0?"))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    seen = set()
    for position in range(len(HOSTILE)):
        page.goto(f"{server.base}/q/q6/{position}")
        page.wait_for_load_state("load")
        who = page.locator(".who .member").first.inner_text().split()[0]
        seen.add(who)
        answer = page.locator("#answer")
        answer.hover()
        for link in answer.locator("a").all():
            assert not (link.get_attribute("href") or "").startswith("javascript")
        assert page.evaluate("() => window.pwned") is None
        assert answer.locator("script, iframe, img, [onerror], [onmouseover]").count() == 0
        assert len(page.content()) < 200_000
        if who == "huge":
            assert "Answer cut at 50,000 of 1,000,004 characters" in answer.inner_text()
    assert seen == set(HOSTILE)
    assert [u for u in requests if not u.startswith(server.base)] == []
    assert page.problems == []
    checked = open_for_axe(browser, server.url)
    for position in range(len(HOSTILE)):
        checked.goto(f"{server.base}/q/q6/{position}")
        violations = axe_violations(checked, axe_script)
        assert violations == [], f"answer {position}: {describe(violations)}"
        assert checked.evaluate("() => window.pwned") is None  # inert even without the CSP

    assert fetch(server.base + "/")[0] == 401
    assert fetch(server.base + "/static/review.js")[0] == 401
    assert fetch(server.base + "/?token=wrong")[0] == 403
    assert fetch(server.base + "/", headers={"Cookie": "xent_review=wrong"})[0] == 403
    status, _, headers = fetch(server.url)
    cookie = headers["set-cookie"].split(";")[0]
    assert "HttpOnly" in headers["set-cookie"] and "SameSite=strict" in headers["set-cookie"]
    store = store_of(tmp_path)
    group = store.order("q6")[0]
    data = json.dumps({"group": group, "version": 0, "items": []}).encode()
    assert fetch(server.base + "/api/grade", method="POST", data=data, headers={"Cookie": cookie})[0] == 403
    assert fetch(server.base + "/api/grade", method="POST", data=data,
                 headers={"Cookie": cookie, "X-CSRF-Token": "forged"})[0] == 403
    csrf = re.search(r'name="csrf-token" content="([^"]+)"',
                     fetch(server.base + "/q/q6/0", headers={"Cookie": cookie})[1]).group(1)
    assert fetch(server.base + "/api/grade", method="POST", data=data,
                 headers={"Cookie": cookie, "X-CSRF-Token": csrf, "Origin": "http://evil.example"})[0] == 403
    assert not store.group(group).graded
    assert fetch(server.base + "/api/grade", method="POST", data=data,
                 headers={"Cookie": cookie, "X-CSRF-Token": csrf})[0] == 200  # the same request, done right
    assert store.group(group).graded
    store.close()
    assert "default-src 'none'" in fetch(server.base + "/", headers={"Cookie": cookie})[2]["content-security-policy"]


def test_every_page_of_the_app_passes_axe_and_names_stay_hidden(browser, tmp_path, servers, axe_script):
    answers = numbered_class(tmp_path, 4)
    answers["s003"]["q6"] = answers["s002"]["q6"].replace(" ", "  ")  # a group of two
    write_class(tmp_path, answers)
    server = serve(servers, tmp_path)
    page = open_for_axe(browser, server.url)
    assert axe_violations(page, axe_script) == [], "index"
    for position in range(3):
        page.goto(f"{server.base}/q/q6/{position}")
        on_answer(page)
        content = page.content()
        assert not re.search(r"\bs00\d\b", content), "a submission name reached an anonymous page"
        press(page, "1")
        violations = axe_violations(page, axe_script)
        assert violations == [], describe(violations)
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    violations = axe_violations(page, axe_script)
    assert violations == [], "help overlay: " + describe(violations)
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.keyboard.press("e")
    assert page.locator("#rubric-edit").get_attribute("open") is not None
    violations = axe_violations(page, axe_script)
    assert violations == [], "rubric editor: " + describe(violations)
    # the group of two: split by keyboard
    store = store_of(tmp_path)
    position = next(i for i, g in enumerate(store.order("q6")) if len(store.group(g).answer_ids) == 2)
    store.close()
    page.goto(f"{server.base}/q/q6/{position}")
    on_answer(page)
    assert page.locator("button.split").count() == 2
    page.locator("button.split").nth(1).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    store = store_of(tmp_path)
    assert len(store.order("q6")) == 4
    store.close()
    assert page.problems == []

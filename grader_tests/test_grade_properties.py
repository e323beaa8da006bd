"""Property tests (hypothesis): whatever bytes arrive, on the channel or as files, grading goes on.

- Random bytes and random JSON on a sandbox's channel: the trusted side gets a reply or a fault of the
  submission (SandboxDied, SandboxTimeout), never another exception and never a hang; a whole submission
  graded against a sandbox that answers with random JSON still gets a result with scores in range.
- Random byte mutations of a valid notebook, and random file names, in a real batch beside an honest
  notebook: the batch finishes, every file has one row, and the honest row does not change.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.grading import runner
from autograder.grading.runner import Limits, SandboxDied, SandboxTimeout, grade_notebook, load_autograder, read_submission

from grading import grade, scores, solution, write  # noqa: F401 - fixture

NAME = "coin_mle"
LIMITS = {"timeout": 20, "cell_timeout": 2}
TEXT = st.text(st.characters(blacklist_categories=()), max_size=20)  # lone surrogates included
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=5),
                    max_leaves=30)
# Replies shaped like the protocol's, with every field possibly of the wrong type.
REPLY = st.fixed_dictionaries({}, optional={
    "ok": st.booleans() | JSON, "value": JSON, "output": JSON, "names": JSON | st.dictionaries(
        st.text(max_size=10), st.sampled_from(["callable", "value", "other"])),
    "error": JSON | st.fixed_dictionaries({}, optional={"type": JSON | st.sampled_from(["ValueError", "SystemExit"]),
                                                        "message": JSON, "memory": JSON, "timeout": JSON}),
    "warnings": JSON,
}) | JSON


def _channel_pair():
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    return runner.Sandbox(mine), theirs


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), framed=st.booleans())
def test_random_bytes_on_the_channel_are_a_reply_or_a_fault_of_the_submission(data, framed):
    sandbox, peer = _channel_pair()
    try:
        peer.sendall(struct.pack("!I", len(data)) + data if framed else data)
        peer.close()
        try:
            sandbox.receive(timeout=0.3)
        except (SandboxDied, SandboxTimeout):
            pass
    finally:
        sandbox.sock.close()


@settings(max_examples=150, deadline=None)
@given(reply=JSON)
def test_random_json_on_the_channel_parses_or_kills(reply):
    sandbox, peer = _channel_pair()
    try:
        payload = json.dumps(reply).encode()
        peer.sendall(struct.pack("!I", len(payload)) + payload)
        assert sandbox.receive(timeout=1) == reply
    finally:
        peer.close()
        sandbox.sock.close()


def test_a_reply_that_never_completes_stops_at_the_deadline():
    """One deadline for the whole reply: a byte now and then does not keep the reader waiting."""
    sandbox, peer = _channel_pair()
    stop = threading.Event()

    def dribble():
        peer.sendall(struct.pack("!I", 1000))
        while not stop.wait(0.05):
            try:
                peer.sendall(b" ")
            except OSError:
                return

    thread = threading.Thread(target=dribble)
    thread.start()
    try:
        with pytest.raises(SandboxTimeout):
            sandbox.receive(timeout=0.5)
    finally:
        stop.set()
        thread.join()
        peer.close()


class _RandomSandbox:
    """A sandbox whose every reply is drawn by hypothesis (or the channel dies when the draws run out)."""

    def __init__(self, replies: list):
        self.replies, self.alive, self.mode, self.last_size, self.pid = replies, True, "namespaces", 10, None

    def request(self, payload, timeout):
        if not self.replies:
            self.alive = False
            raise SandboxDied()
        reply = self.replies.pop()
        if not isinstance(reply, dict):
            self.alive = False
            raise SandboxDied()
        return reply

    def kill(self):
        self.alive = False


class _RandomZygote:
    def __init__(self, replies: list):
        self.replies = replies

    def spawn(self, limits):
        return _RandomSandbox(self.replies)


@pytest.fixture(scope="module")
def coin(built):
    return load_autograder(built[NAME].autograder, NAME), built[NAME].solution


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(replies=st.lists(REPLY, max_size=60))
def test_a_whole_submission_against_random_replies_gets_a_result(coin, replies):
    autograder, notebook = coin
    result = grade_notebook(notebook, autograder, _RandomZygote(list(replies)), Limits(timeout=5, cell_timeout=1))
    assert result.status in {"ok", "timeout", "crashed", "memory"}
    for question, score in result.questions.items():
        assert 0 <= score.score <= autograder.max_points(question)
    json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")  # always writable as UTF-8


# ---------------------------------------------------------------- files

@pytest.fixture(scope="module")
def honest_notebook(built):
    return nbformat.writes(solution(built, NAME)).encode()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8), st.integers(0, 8)), max_size=6))
def test_mutated_notebook_bytes_never_raise_when_read(coin, honest_notebook, edits):
    autograder, _ = coin
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "mutated.ipynb"
        path.write_bytes(_mutate(honest_notebook, edits))
        notebook, rejected = read_submission(path, autograder)
        assert (notebook is None) != (rejected is None)
    finally:
        shutil.rmtree(folder)


def _mutate(data: bytes, edits) -> bytes:
    """*data* with each (position as a fraction, new bytes, bytes removed) edit applied."""
    for where, new, removed in edits:
        at = int(where * len(data))
        data = data[:at] + new + data[at + removed:]
    return data


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated=st.lists(st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8), st.integers(0, 8)),
                                 min_size=1, max_size=4), min_size=2, max_size=3),
       names=st.lists(st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")),
                      min_size=2, max_size=4))
def test_random_notebooks_and_names_never_crash_a_batch_or_touch_another_row(built, grade, honest_notebook,
                                                                             mutated, names):
    folder = Path(tempfile.mkdtemp())
    try:
        honest = write(solution(built, NAME), folder / "honest" / "honest.ipynb")
        submissions = os.fsencode(folder / "in")
        os.makedirs(submissions)
        written = set()
        for index, edits in enumerate(mutated):
            name = names[index % len(names)] + b"-%d.ipynb" % index
            if name.startswith(b"."):
                name = b"_" + name
            with open(os.path.join(submissions, name), "wb") as handle:
                handle.write(_mutate(honest_notebook, edits))
            written.add(name)
        summary = grade(NAME, [honest, Path(os.fsdecode(submissions))], folder / "out", workers=2, **LIMITS)
        rows = {row["submission"]: row for row in summary.rows}
        assert len(summary.rows) == len(rows) == len(written) + 1, "one row per file"
        assert rows["honest"]["status"] == "ok" and rows["honest"]["score"] == rows["honest"]["max_score"]
        lines = (folder / "out" / "gradebook.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(written) + 2, "one line per row: names never hold a line break"
        for row in summary.rows:
            assert 0 <= row["score"] <= row["max_score"]
    finally:
        shutil.rmtree(folder)

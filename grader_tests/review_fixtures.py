"""A graded OUT folder for the review app, written through results.write (the record `grade` writes), and
a review server started as a subprocess the way a grader starts it (`autograder review ... --no-browser`)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from autograder import results
from autograder.results import QuestionScore, Status, SubmissionRecord
from conftest import ROOT

AUTO = {"q1": 5.0, "q2": 6.0, "q3": 5.0, "q4": 3.0, "q5": 5.0, "q7": 5.0, "q8": 6.0, "q9": 6.0}


def answer_text(i: int) -> str:
    return (f"Student {i} writes $\\ell'(\\theta) = \\frac{{h}}{{\\theta}} - \\frac{{t}}{{1-\\theta}}$ "
            f"and so $\\hat\\theta = h/(h+t)$; attempt number {i}.")


def write_class(out: Path, answers: dict[str, dict[str, str]], *, auto: float = 1.0) -> Path:
    """OUT/results/<submission>.json for each submission: auto questions at *auto* points each, and the
    written answers given."""
    for submission, written in answers.items():
        record = SubmissionRecord(status=Status.OK, questions={q: QuestionScore(auto, m) for q, m in AUTO.items()},
                                  manual_answers=written, submission=submission, file=f"{submission}.ipynb",
                                  assignment="coin_mle")
        results.write(results.results_dir(out) / f"{submission}.json", record)
    return out


def numbered_class(out: Path, count: int) -> dict[str, dict[str, str]]:
    answers = {f"s{i:03d}": {"q6": answer_text(i), "q10": f"Part (a) for student {i}."} for i in range(count)}
    write_class(out, answers)
    return answers


@dataclass
class Server:
    process: subprocess.Popen
    url: str  # with the token

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)
        for pipe in (self.process.stdout, self.process.stderr):
            pipe.close()


def start_server(out: Path, *extra: str) -> Server:
    """`autograder review coin_mle OUT --no-browser` in a subprocess; waits for the address it prints."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "autograder.cli", "--root", str(ROOT), "review", "coin_mle",
                                str(out), "--no-browser", *extra], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    line = process.stdout.readline()
    match = re.search(r"(http://\S+\?token=\S+)", line)
    if not match:
        process.kill()
        problem = process.stderr.read()
        process.wait()
        process.stdout.close()
        process.stderr.close()
        raise AssertionError(f"the server printed no address: {line!r} {problem}")
    return Server(process, match.group(1))


def fetch(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    """(status, body) of one request, without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)

"""The review app with 2,000 submissions x 3 written questions: start-up, grading action, next answer's page.

Writes 2,000 grading records (results.write, as `grade` does) with distinct written answers for coin_mle's
written questions q6 and q10 and a third one (q6's rubric again, as "q6b"), then measures in one run:
- start-up: reading the records, creating the database (first start) or syncing it (second start), the app;
- a grading action: POST /api/grade over HTTP to uvicorn on 127.0.0.1 (median of 200, committed each time);
- the next answer's page: GET /q/<q>/<n> (median of 200).
Server time is measured inside the ASGI app (arrival to last byte sent); the HTTP round trip is printed beside.
Prints the figures beside the issue's targets (20 ms, 100 ms, 2 s); ratio = measured / target.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from autograder import project, results
from autograder.master import load_master
from autograder.packet import without_rubric
from autograder.results import QuestionScore, Status, SubmissionRecord
from autograder.review.app import ReviewConfig, create_app
from autograder.review.store import DB_FILE, Store

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"grading action": 0.020, "next answer page": 0.100, "start-up (first)": 2.0, "start-up (again)": 2.0}


def write_records(out: Path, count: int) -> None:
    for i in range(count):
        text = (f"Student {i}: $\\ell'(\\theta) = \\frac{{h}}{{\\theta}} - \\frac{{t}}{{1-\\theta}} = 0$ gives "
                f"$\\hat\\theta = h/(h+t)$; the second derivative is negative. " * 3) + f"({i})"
        record = SubmissionRecord(status=Status.OK, questions={"q1": QuestionScore(1, 5)},
                                  manual_answers={"q6": text, "q10": text + " (a)", "q6b": text + " (b)"},
                                  submission=f"s{i:04d}", assignment="coin_mle")
        results.write(results.results_dir(out) / f"s{i:04d}.json", record)


def start(out: Path, master) -> tuple[float, ReviewConfig]:
    begin = time.perf_counter()
    records = results.load_all(out, "coin_mle")
    store = Store.open(out / DB_FILE, assignment="coin_mle", master=master, records=records)
    config = ReviewConfig(name="coin_mle", title="bench", store=store, token="t" * 32, grader="bench", names=False,
                          prompts={q.name: q.prompt for q in master.manual_questions},
                          models={q.name: without_rubric(q.model_answer) for q in master.manual_questions})
    create_app(config)
    return time.perf_counter() - begin, config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    master = load_master(project.master_path(ROOT, "coin_mle"), "coin_mle")
    q6 = master.question("q6")
    master = dataclasses.replace(master, questions=master.questions + (dataclasses.replace(q6, name="q6b"),))
    figures = {}
    with tempfile.TemporaryDirectory(prefix="review-bench-") as tmp:
        out = Path(tmp)
        write_records(out, args.submissions)
        figures["start-up (first)"], config = start(out, master)
        config.store.close()
        figures["start-up (again)"], config = start(out, master)
        inner = create_app(config)
        server_times = []

        async def app(scope, receive, send):  # server time: from the request's arrival to the last byte sent
            begin = time.perf_counter()
            await inner(scope, receive, send)
            if scope["type"] == "http":
                server_times.append(time.perf_counter() - begin)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        cookie = {"Cookie": f"xent_review={config.token}"}
        order = config.store.order("q6")
        item = config.store.rubric("q6")[0].id
        pages, actions = [], []

        def server_time(count: int) -> float:
            while len(server_times) < count:  # the app records its time just after the client got the bytes
                time.sleep(0.0005)
            return server_times[count - 1]

        for n in range(args.repeat):
            begin = time.perf_counter()
            conn.request("GET", f"/q/q6/{n}", headers=cookie)
            body = conn.getresponse().read().decode()
            pages.append((time.perf_counter() - begin, server_time(2 * n + 1)))
            state = json.loads(re.search(r'id="state">(.*?)</script>', body).group(1))
            payload = json.dumps({"group": order[n], "version": state["version"], "items": [item]})
            begin = time.perf_counter()
            conn.request("POST", "/api/grade", body=payload, headers={**cookie, "X-CSRF-Token": config.csrf,
                                                                     "Content-Type": "application/json"})
            reply = conn.getresponse()
            reply.read()
            actions.append((time.perf_counter() - begin, server_time(2 * n + 2)))
            assert reply.status == 200, reply.status
        figures["grading action"] = statistics.median(server for _, server in actions)
        figures["next answer page"] = statistics.median(server for _, server in pages)
        round_trips = {"grading action": statistics.median(rt for rt, _ in actions),
                       "next answer page": statistics.median(rt for rt, _ in pages)}
        server.should_exit = True
        thread.join(timeout=10)
        config.store.close()
    print(f"review app, {args.submissions} submissions x 3 written questions (medians of {args.repeat}):")
    for name, seconds in figures.items():
        target = TARGETS[name]
        extra = f"   (HTTP round trip {round_trips[name] * 1000:.1f} ms)" if name in round_trips else ""
        print(f"  {name:<18} {seconds * 1000:8.1f} ms   target {target * 1000:6.0f} ms   ratio {seconds / target:.2f}"
              + extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`autograder review NAME OUT`: the rubric grading web app (Starlette on uvicorn, Jinja2 templates).

Security: binds to 127.0.0.1 unless told otherwise; every request needs the random token (in the URL once,
then an HttpOnly SameSite=Strict cookie) and gets 401 without it, 403 with a wrong one; every POST needs
the CSRF token of the page (X-CSRF-Token header) and a same-origin Origin; a Content-Security-Policy allows
nothing but this server, so the page makes no remote request; student answers are rendered by
xentcore.mathhtml (raw HTML escaped, MathML sanitised), bounded in length, images removed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import socket
import sys
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from autograder.variantdraw import unfilled
from autograder import project, results
from autograder.master import load_master
from autograder.packet import without_rubric
from autograder.review.store import DB_FILE, Conflict, Store
from xentcore.errors import UsageError, XentError
from xentcore.mathhtml import render

HERE = Path(__file__).parent
COOKIE = "xent_review"
MAX_SHOWN = 50_000  # characters of an answer rendered; the rest is cut (a 1 MB answer stays bounded)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_IMG = re.compile(r"<img\b[^>]*?(?:alt=\"([^\"]*)\")?[^>]*>")


def render_answer(text: str) -> str:
    """A student's answer as safe HTML: bounded, raw HTML escaped, no image (it could load a remote file)."""
    cut = len(text) > MAX_SHOWN
    html = render(text[:MAX_SHOWN]) if text.strip() else "<p><em>No answer written.</em></p>"
    html = _IMG.sub(lambda m: f'<span class="removed">[image removed: {m.group(1) or ""}]</span>', html)
    if cut:
        html += f'<p class="removed"><strong>Answer cut at {MAX_SHOWN:,} of {len(text):,} characters.</strong></p>'
    return html


@dataclass
class ReviewConfig:
    name: str
    title: str
    store: Store
    token: str
    grader: str
    names: bool
    prompts: dict[str, str]
    models: dict[str, str]

    @property
    def csrf(self) -> str:
        return hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()


def create_app(config: ReviewConfig) -> Callable:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    store = config.store
    # the prompt, model answer and rubric texts are trusted and change rarely: rendered once each
    prompts = {q: render(text) for q, text in config.prompts.items()}
    models = {q: render(text) for q, text in config.models.items()}
    rendered: dict[str, str] = {}

    def render_once(text: str) -> str:
        if text not in rendered:
            rendered[text] = render(text)
        return rendered[text]

    def page(name: str, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(csrf=config.csrf, grader=config.grader,
                                                          title=config.title, **context))

    def index(request: Request) -> Response:
        questions = []
        for question in store.questions():
            graded, total = store.progress(question)
            questions.append({"name": question, "graded": graded, "total": total})
        return page("index.html", questions=questions)

    def question_page(request: Request) -> Response:
        question = request.path_params["question"]
        if question not in store.questions():
            return PlainTextResponse(f"no written question {question!r}", status_code=404)
        order = store.order(question)
        position = min(max(int(request.path_params["position"]), 0), len(order) - 1)
        group = store.group(order[position])
        graded, total = store.progress(question)
        rubric = store.rubric(question)
        who = group.submissions if config.names else group.aliases
        members = [{"answer": a, "who": w} for a, w in zip(group.answer_ids, who)]
        state = {**group.state(), "question": question, "position": position, "count": len(order),
                 "rubric": [{"id": i.id, "points": i.points} for i in rubric],
                 "rubric_version": store.rubric_version(question)}
        return page("question.html", question=question, position=position, count=len(order), group=group,
                    members=members, answer=render_answer(group.text), rubric=rubric,
                    rubric_html={i.id: render_once(i.text) for i in rubric},
                    accept_html={i.id: render_once(i.accept) for i in rubric if i.accept},
                    prompt=prompts.get(question, ""), model=models.get(question, ""),
                    graded=graded, total=total, comments=store.saved_comments(question), state=state,
                    max_points=store.question_points(question))

    def next_ungraded(request: Request) -> Response:
        question = request.path_params["question"]
        if question not in store.questions():
            return PlainTextResponse(f"no written question {question!r}", status_code=404)
        order = store.order(question)
        start = int(request.query_params.get("from", "-1"))
        for step in range(1, len(order) + 1):
            position = (start + step) % len(order)
            if not store.group(order[position]).graded:
                return RedirectResponse(f"/q/{question}/{position}", status_code=303)
        return RedirectResponse(f"/q/{question}/{max(start, 0)}?done=1", status_code=303)

    async def body(request: Request) -> dict:
        try:
            data = json.loads(await request.body())
        except ValueError:
            raise UsageError("the request body is not JSON") from None
        if not isinstance(data, dict):
            raise UsageError("the request body is not a JSON object")
        return data

    def action(handler):
        async def endpoint(request: Request) -> Response:
            try:
                return JSONResponse(handler(await body(request)))
            except Conflict as conflict:
                return JSONResponse({"conflict": True, "current": conflict.current}, status_code=409)
            except (XentError, KeyError, TypeError, ValueError) as exc:
                kind = getattr(exc, "kind", "request")
                return JSONResponse({"error": f"{kind}: {exc}"}, status_code=400)
        return endpoint

    def grade(data: dict) -> dict:
        group = store.grade(int(data["group"]), items=[int(i) for i in data.get("items", [])],
                            comment=str(data.get("comment", "")), adjust=float(data.get("adjust", 0) or 0),
                            reason=str(data.get("reason", "")), base_version=int(data["version"]),
                            grader=config.grader)
        return group.state()

    def edit_rubric(data: dict) -> dict:
        item = data.get("item")
        count = store.edit_rubric(str(data["question"]), item_id=None if item is None else int(item),
                                  text=data.get("text"), points=None if data.get("points") is None
                                  else float(data["points"]), delete=bool(data.get("delete")),
                                  base_version=int(data["rubric_version"]), grader=config.grader)
        return {"rescored": count, "rubric_version": store.rubric_version(str(data["question"]))}

    def split(data: dict) -> dict:
        return {"group": store.split(int(data["answer"]), grader=config.grader)}

    def save_comment(data: dict) -> dict:
        store.save_comment(str(data["question"]), str(data.get("text", "")))
        return {"comments": store.saved_comments(str(data["question"]))}

    app = Starlette(routes=[
        Route("/", index),
        Route("/favicon.ico", lambda request: Response(status_code=204)),  # browsers ask; nothing to load
        Route("/q/{question}/next", next_ungraded),
        Route("/q/{question}/{position:int}", question_page),
        Route("/api/grade", action(grade), methods=["POST"]),
        Route("/api/rubric", action(edit_rubric), methods=["POST"]),
        Route("/api/split", action(split), methods=["POST"]),
        Route("/api/comment", action(save_comment), methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ])
    return _Guard(app, config)


class _Guard:
    """ASGI middleware: token (query once, then cookie), CSRF on state changes, security headers."""

    def __init__(self, app, config: ReviewConfig):
        self.app, self.token, self.csrf = app, config.token, config.csrf

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        cookies = dict(part.strip().split("=", 1) for part in headers.get("cookie", "").split(";") if "=" in part)
        given = query.get("token", [None])[0]
        if given is not None and hmac.compare_digest(given, self.token) and scope["method"] == "GET":
            rest = {k: v for k, v in query.items() if k != "token"}
            target = scope["path"] + ("?" + urlencode(rest, doseq=True) if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return await self._send(response, scope, receive, send)
        cookie = cookies.get(COOKIE)
        if cookie is None and given is None:
            return await self._send(PlainTextResponse("401: open the address with ?token=… that "
                                                      "`autograder review` printed", status_code=401),
                                    scope, receive, send)
        if not hmac.compare_digest(cookie or "", self.token):
            return await self._send(PlainTextResponse("403: wrong token", status_code=403), scope, receive, send)
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if not hmac.compare_digest(headers.get("x-csrf-token", ""), self.csrf) or \
                    (origin is not None and origin.split("://", 1)[-1] != headers.get("host")):
                return await self._send(PlainTextResponse("403: missing or wrong CSRF token", status_code=403),
                                        scope, receive, send)

        async def secured(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _SECURITY_HEADERS
            await send(message)
        await self.app(scope, receive, secured)

    async def _send(self, response, scope, receive, send):
        response.headers.update({k.decode(): v.decode() for k, v in _SECURITY_HEADERS})
        await response(scope, receive, send)


_SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                     (b"referrer-policy", b"no-referrer"), (b"cache-control", b"no-store"),
                     (b"x-frame-options", b"DENY")]


def open_review(name: str, out: Path, *, root: Path = Path("."), grader: str = "grader", names: bool = False,
                token: str | None = None) -> ReviewConfig:
    """Check the assignment and OUT, open (or create) OUT/review.sqlite3 with the answers of the grade run
    and the master's rubric; the application's configuration."""
    project.resolve_assignments(root, [name])
    master = load_master(project.master_path(root, name), name)
    if not master.manual_questions:
        raise UsageError(f"assignment {name} has no written (manual) questions; nothing to review")
    out = Path(out)
    records = results.load_all(out, name)
    store = Store.open(out / DB_FILE, assignment=name, master=master, records=records)
    return ReviewConfig(name=name, title=f"{name} written answers", store=store,
                        token=token or secrets.token_urlsafe(24), grader=grader, names=names,
                        prompts={q.name: unfilled(q.prompt) for q in master.manual_questions},
                        models={q.name: unfilled(without_rubric(q.model_answer)) for q in master.manual_questions})


def serve(name: str, out: Path, *, root: Path = Path("."), host: str = "127.0.0.1", port: int = 0,
          grader: str = "grader", names: bool = False, open_browser: bool = True,
          announce: Callable[[str], None] = print) -> None:
    """Run the review app until interrupted; *announce* gets the address with the token."""
    import uvicorn

    config = open_review(name, out, root=root, grader=grader, names=names)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port") from None
    sock.listen(128)
    bound = sock.getsockname()[1]
    url = f"http://{'[' + host + ']' if ':' in host else host}:{bound}/?token={config.token}"
    announce(url)
    sys.stdout.flush()
    if open_browser:
        webbrowser.open(url)
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", access_log=False))
    server.run(sockets=[sock])

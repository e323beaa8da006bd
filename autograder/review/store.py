"""OUT/review.sqlite3: the written-answer grading database (SQLite, WAL, synchronous=FULL).

One versioned schema (no migrations: a file of another version or of another program is refused with the
fix). Every action is one `BEGIN IMMEDIATE` transaction committed before the caller answers, so a server
killed with SIGKILL keeps everything it acknowledged, and several servers (graders) can share the file.
Every write to an answer group carries the version it was based on; a stale write raises `Conflict` with the
current state and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from autograder.master import Master
from autograder.results import SubmissionRecord
from xentcore.errors import InputFileError, UsageError

DB_FILE = "review.sqlite3"
APP_ID = "xent-lab-review"
SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE rubric (id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT NOT NULL, position INTEGER NOT NULL,
                     text TEXT NOT NULL, points REAL NOT NULL, accept TEXT NOT NULL DEFAULT '',
                     deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, submission TEXT NOT NULL, question TEXT NOT NULL,
                      alias TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL, group_id INTEGER NOT NULL,
                      version INTEGER NOT NULL DEFAULT 0, UNIQUE (submission, question));
CREATE INDEX answers_group ON answers (group_id);
CREATE INDEX answers_norm ON answers (question, norm);
CREATE TABLE grades (answer_id INTEGER PRIMARY KEY REFERENCES answers (id), items TEXT NOT NULL,
                     comment TEXT NOT NULL, adjust REAL NOT NULL, reason TEXT NOT NULL, score REAL NOT NULL,
                     grader TEXT NOT NULL, graded_text TEXT NOT NULL);
CREATE TABLE saved_comments (id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT NOT NULL, text TEXT NOT NULL,
                             UNIQUE (question, text));
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, grader TEXT NOT NULL,
                    action TEXT NOT NULL, question TEXT NOT NULL, target TEXT NOT NULL,
                    before TEXT NOT NULL, after TEXT NOT NULL);
"""

_LATEX_SPACING = re.compile(r"\\[,;:! ]|\\q?quad\b|\\(?:thin|med|thick|neg)space\b")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.DOTALL)


def normalise(text: str) -> str:
    """The text two answers must share to be graded as one: LaTeX spacing removed, whitespace collapsed,
    no whitespace inside math."""
    text = _LATEX_SPACING.sub(" ", text or "")
    text = _MATH.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
    return " ".join(text.split())


class Conflict(Exception):
    """A write based on an old version; `current` is the state it would have overwritten (not a user error:
    the server answers 409 with both versions)."""

    def __init__(self, current: dict):
        super().__init__("conflict")
        self.current = current


@dataclass
class Item:
    id: int
    position: int
    text: str
    points: float
    accept: str = ""


@dataclass
class Group:
    """One answer group of a question: the answers (ids, aliases, submissions) graded as one."""

    id: int
    question: str
    text: str
    answer_ids: list[int]
    aliases: list[str]
    submissions: list[str]
    version: int
    graded: bool
    items: list[int] = field(default_factory=list)
    comment: str = ""
    adjust: float = 0.0
    reason: str = ""
    score: float = 0.0
    grader: str = ""
    changed: bool = False

    def state(self) -> dict:
        return {"group": self.id, "version": self.version, "graded": self.graded, "items": self.items,
                "comment": self.comment, "adjust": self.adjust, "reason": self.reason, "score": self.score,
                "grader": self.grader, "changed": self.changed, "size": len(self.answer_ids)}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _score(items: list[int], adjust: float, rubric: dict[int, Item]) -> float:
    return max(0.0, sum(rubric[i].points for i in items if i in rubric) + adjust)


class Store:
    """The open database. Thread-safe within a process (one connection behind a lock); several processes
    share the file through SQLite's locking."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self._db = connection
        self._lock = threading.Lock()

    # -- opening ------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, assignment: str, master: Master | None = None,
             records: list[SubmissionRecord] | None = None, create: bool = True) -> Store:
        """Open (and create, when *create* and it is missing) the database at *path*, then bring its answers
        up to date with *records*. Raises InputFileError for a file that is not this program's database."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise UsageError(f"{path}: no review database; start one with `autograder review {assignment} "
                                 f"{path.parent}`")
            if master is None:
                raise UsageError(f"{path}: cannot create a review database without the master notebook")
            _create(path, assignment, master)
        store = cls(path, _connect(path))
        store._check(assignment)
        if records is not None:
            store.sync(records)
        return store

    def close(self) -> None:
        self._db.close()

    def _check(self, assignment: str) -> None:
        fix = (f"move it away (or delete it if it holds no grades you need) and run `autograder review "
               f"{assignment} {self.path.parent}` again, which creates a fresh one")
        try:
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise InputFileError(f"{self.path}: not a xent-lab review database ({exc}); {fix}") from None
        if meta.get("app") != APP_ID or meta.get("schema") != SCHEMA_VERSION:
            self._db.close()
            raise InputFileError(f"{self.path}: not a version-{SCHEMA_VERSION} xent-lab review database "
                                 f"(app {meta.get('app')!r}, schema {meta.get('schema')!r}); {fix}")
        if meta.get("assignment") != assignment:
            self._db.close()
            raise InputFileError(f"{self.path}: review database of assignment {meta.get('assignment')!r}, not "
                                 f"{assignment!r}; use the OUT folder of {assignment}'s `grade` run")

    @contextmanager
    def _write(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def sync(self, records: list[SubmissionRecord]) -> int:
        """Add new submissions' answers; an answer whose text changed keeps its grade, leaves its group and
        is marked "changed since graded". Returns how many answers changed."""
        questions = self.questions()
        changed = 0
        with self._write() as db:
            known = {(s, q): (i, t) for i, s, q, t in db.execute("SELECT id, submission, question, text FROM answers")}
            count = len({s for s, _ in known})
            aliases = dict(db.execute("SELECT DISTINCT submission, alias FROM answers").fetchall())
            # new answers join the ungraded group of an identical answer (a graded group is never extended)
            leaders = {}
            for question, norm, group in db.execute(
                    "SELECT question, norm, MIN(group_id) FROM answers WHERE group_id NOT IN "
                    "(SELECT answer_id FROM grades) GROUP BY question, norm"):
                leaders[(question, norm)] = group
            for record in sorted(records, key=lambda r: r.submission):
                if record.submission not in aliases:
                    count += 1
                    aliases[record.submission] = f"student-{count:03d}"
                for question in questions:
                    text = (record.manual_answers or {}).get(question, "") or ""
                    norm = normalise(text)
                    key = (record.submission, question)
                    if key not in known:
                        cursor = db.execute("INSERT INTO answers (submission, question, alias, text, norm, group_id) "
                                            "VALUES (?, ?, ?, ?, ?, 0)",
                                            (record.submission, question, aliases[record.submission], text, norm))
                        leader = leaders.setdefault((question, norm), cursor.lastrowid)
                        db.execute("UPDATE answers SET group_id = ? WHERE id = ?", (leader, cursor.lastrowid))
                    elif known[key][1] != text:
                        changed += 1
                        answer = known[key][0]
                        db.execute("UPDATE answers SET text = ?, norm = ?, group_id = ?, version = version + 1 "
                                   "WHERE id = ?", (text, norm, answer, answer))
        return changed

    # -- reading ------------------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def questions(self) -> list[str]:
        return json.loads(self.meta("questions") or "[]")

    def question_points(self, question: str) -> float:
        return float(json.loads(self.meta("points") or "{}")[question])

    def rubric(self, question: str) -> list[Item]:
        with self._lock:
            rows = self._db.execute("SELECT id, position, text, points, accept FROM rubric WHERE question = ? "
                                    "AND deleted = 0 ORDER BY position, id", (question,)).fetchall()
        return [Item(*row) for row in rows]

    def rubric_version(self, question: str) -> int:
        return int(self.meta(f"rubric_version:{question}") or 0)

    def order(self, question: str) -> list[int]:
        """The group ids of *question* in a stable shuffled order (seeded by assignment and question)."""
        with self._lock:
            leaders = [row[0] for row in self._db.execute(
                "SELECT DISTINCT group_id FROM answers WHERE question = ?", (question,))]
        seed = hashlib.sha256(f"{self.meta('assignment')}/{question}".encode()).digest()
        leaders.sort()
        rng = random.Random(seed)
        rng.shuffle(leaders)
        return leaders

    def group(self, group_id: int) -> Group:
        with self._lock:
            return self._group(self._db, group_id)

    def _group(self, db: sqlite3.Connection, group_id: int) -> Group:
        rows = db.execute("SELECT a.id, a.question, a.alias, a.submission, a.text, a.version, g.items, g.comment, "
                          "g.adjust, g.reason, g.score, g.grader, g.graded_text FROM answers a LEFT JOIN grades g "
                          "ON g.answer_id = a.id WHERE a.group_id = ? ORDER BY a.id", (group_id,)).fetchall()
        if not rows:
            raise KeyError(group_id)
        lead = rows[0]
        group = Group(id=group_id, question=lead[1], text=lead[4], answer_ids=[r[0] for r in rows],
                      aliases=[r[2] for r in rows], submissions=[r[3] for r in rows], version=lead[5],
                      graded=lead[6] is not None)
        if group.graded:
            group.items, group.comment, group.adjust, group.reason = json.loads(lead[6]), lead[7], lead[8], lead[9]
            group.score, group.grader = lead[10], lead[11]
            group.changed = any(r[12] is not None and r[12] != r[4] for r in rows)
        return group

    def progress(self, question: str) -> tuple[int, int]:
        """(graded groups, groups) of *question*."""
        with self._lock:
            total, graded = self._db.execute(
                "SELECT COUNT(DISTINCT a.group_id), COUNT(DISTINCT CASE WHEN g.answer_id IS NOT NULL "
                "THEN a.group_id END) FROM answers a LEFT JOIN grades g ON g.answer_id = a.group_id "
                "WHERE a.question = ?", (question,)).fetchone()
        return graded, total

    def saved_comments(self, question: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT text FROM saved_comments WHERE question = ? ORDER BY id",
                                                   (question,))]

    def audit_rows(self) -> list[dict]:
        with self._lock:
            rows = self._db.execute("SELECT at, grader, action, question, target, before, after FROM audit "
                                    "ORDER BY id").fetchall()
        return [dict(zip(("at", "grader", "action", "question", "target", "before", "after"), r)) for r in rows]

    def manual_scores(self) -> dict[tuple[str, str], float]:
        """{(submission, question): points} of every graded answer."""
        with self._lock:
            rows = self._db.execute("SELECT a.submission, a.question, g.score FROM answers a JOIN grades g "
                                    "ON g.answer_id = a.id").fetchall()
        return {(s, q): score for s, q, score in rows}

    # -- writing ------------------------------------------------------------------------------------------
    def grade(self, group_id: int, *, items: list[int], comment: str, adjust: float, reason: str,
              base_version: int, grader: str) -> Group:
        """Set the grade of every answer of the group, if its version is still *base_version*."""
        comment, reason = str(comment)[:5000], str(reason)[:1000]
        with self._write() as db:
            current = self._group(db, group_id)
            if current.version != base_version:
                raise Conflict(current.state())
            rubric = {i.id: i for i in self._rubric(db, current.question)}
            unknown = [i for i in items if i not in rubric]
            if unknown:
                raise UsageError(f"rubric item(s) {unknown} are not in the rubric of {current.question}; reload the page")
            if adjust and not reason.strip():
                raise UsageError("a point adjustment needs a reason; type one in the reason field")
            items = sorted(set(items))
            score = _score(items, adjust, rubric)
            for answer, text in db.execute("SELECT id, text FROM answers WHERE group_id = ?", (group_id,)).fetchall():
                db.execute("INSERT OR REPLACE INTO grades (answer_id, items, comment, adjust, reason, score, grader, "
                           "graded_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (answer, json.dumps(items), comment, float(adjust), reason, score, grader, text))
            db.execute("UPDATE answers SET version = ? WHERE group_id = ?", (base_version + 1, group_id))
            return self._group(db, group_id)

    @staticmethod
    def _rubric(db, question: str) -> list[Item]:
        return [Item(*r) for r in db.execute("SELECT id, position, text, points, accept FROM rubric WHERE "
                                             "question = ? AND deleted = 0 ORDER BY position, id", (question,))]

    def edit_rubric(self, question: str, *, item_id: int | None, text: str | None = None,
                    points: float | None = None, delete: bool = False, base_version: int, grader: str) -> int:
        """Change, add (*item_id* None) or delete an item; re-score every graded answer of the question and
        write an audit row. Returns how many answers were re-scored."""
        if question not in self.questions():
            raise UsageError(f"{question!r} is not a written question of this review")
        if points is not None and not (0 <= float(points) <= 1000):
            raise UsageError(f"rubric points {points} must be between 0 and 1000")
        with self._write() as db:
            version = int((db.execute("SELECT value FROM meta WHERE key = ?", (f"rubric_version:{question}",))
                           .fetchone() or [0])[0])
            if version != base_version:
                raise Conflict({"rubric_version": version,
                                "rubric": [i.__dict__ for i in self._rubric(db, question)]})
            before = [i.__dict__ for i in self._rubric(db, question)]
            if item_id is None:
                position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM rubric WHERE question = ?",
                                      (question,)).fetchone()[0]
                db.execute("INSERT INTO rubric (question, position, text, points) VALUES (?, ?, ?, ?)",
                           (question, position, (text or "new item")[:2000], float(points or 0)))
                action = "add item"
            else:
                if not db.execute("SELECT 1 FROM rubric WHERE id = ? AND question = ? AND deleted = 0",
                                  (item_id, question)).fetchone():
                    raise UsageError(f"rubric item {item_id} is not in the rubric of {question}; reload the page")
                if delete:
                    db.execute("UPDATE rubric SET deleted = 1 WHERE id = ?", (item_id,))
                    action = "delete item"
                else:
                    if text is not None:
                        db.execute("UPDATE rubric SET text = ? WHERE id = ?", (text[:2000], item_id))
                    if points is not None:
                        db.execute("UPDATE rubric SET points = ? WHERE id = ?", (float(points), item_id))
                    action = "edit item"
            rubric = {i.id: i for i in self._rubric(db, question)}
            graded = db.execute("SELECT g.answer_id, g.items, g.adjust FROM grades g JOIN answers a "
                                "ON a.id = g.answer_id WHERE a.question = ?", (question,)).fetchall()
            for answer, items, adjust in graded:
                kept = [i for i in json.loads(items) if i in rubric]
                db.execute("UPDATE grades SET items = ?, score = ? WHERE answer_id = ?",
                           (json.dumps(kept), _score(kept, adjust, rubric), answer))
            db.execute("UPDATE answers SET version = version + 1 WHERE question = ? AND id IN "
                       "(SELECT answer_id FROM grades)", (question,))
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                       (f"rubric_version:{question}", str(version + 1)))
            after = [i.__dict__ for i in rubric.values()]
            db.execute("INSERT INTO audit (at, grader, action, question, target, before, after) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?)", (_now(), grader, action, question, str(item_id or ""),
                                                 json.dumps(before, sort_keys=True), json.dumps(after, sort_keys=True)))
            return len(graded)

    def split(self, answer_id: int, *, grader: str) -> int:
        """Take one answer out of its group (it keeps its grade); returns its new group id."""
        with self._write() as db:
            row = db.execute("SELECT question, group_id FROM answers WHERE id = ?", (answer_id,)).fetchone()
            if row is None:
                raise UsageError(f"answer {answer_id} does not exist; reload the page")
            question, group = row
            if group == answer_id:  # the leader leaves: the next answer leads the rest
                rest = [r[0] for r in db.execute("SELECT id FROM answers WHERE group_id = ? AND id != ? ORDER BY id",
                                                 (group, answer_id))]
                if rest:
                    db.execute("UPDATE answers SET group_id = ? WHERE group_id = ? AND id != ?",
                               (rest[0], group, answer_id))
            else:
                db.execute("UPDATE answers SET group_id = ? WHERE id = ?", (answer_id, answer_id))
            db.execute("UPDATE answers SET version = version + 1 WHERE question = ? AND group_id IN (?, ?)",
                       (question, answer_id, group))
            db.execute("INSERT INTO audit (at, grader, action, question, target, before, after) VALUES "
                       "(?, ?, 'split group', ?, ?, ?, ?)", (_now(), grader, question, str(answer_id),
                                                             str(group), str(answer_id)))
            return answer_id

    def save_comment(self, question: str, text: str) -> None:
        text = text.strip()[:5000]
        if not text:
            raise UsageError("an empty comment cannot be saved; type it first")
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO saved_comments (question, text) VALUES (?, ?)", (question, text))

    def import_grades(self, grades: dict[tuple[str, str], tuple[list[int], float, str]], *, grader: str) -> int:
        """Set many grades in one transaction: {(submission, question): (rubric item ids, adjust, comment)}."""
        with self._write() as db:
            for (submission, question), (items, adjust, comment) in grades.items():
                rubric = {i.id: i for i in self._rubric(db, question)}
                row = db.execute("SELECT id, text FROM answers WHERE submission = ? AND question = ?",
                                 (submission, question)).fetchone()
                if row is None:
                    raise UsageError(f"{submission} {question} is not in the review database")
                db.execute("UPDATE answers SET group_id = id, version = version + 1 WHERE id = ?", (row[0],))
                db.execute("INSERT OR REPLACE INTO grades (answer_id, items, comment, adjust, reason, score, grader, "
                           "graded_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (row[0], json.dumps(sorted(items)), comment, adjust, "imported" if adjust else "",
                            _score(items, adjust, rubric), grader, row[1]))
        return len(grades)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        # WAL + FULL: a committed transaction is on disk (fsync) before COMMIT returns: it survives kill -9
        # and a power loss, for about 1 ms per action (docs/design-decisions.md, "Review database").
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA busy_timeout=30000")
    except sqlite3.DatabaseError as exc:
        db.close()
        raise InputFileError(f"{path}: not a xent-lab review database ({exc}); move it away and run "
                             "`autograder review` again, which creates a fresh one") from None
    return db


def _create(path: Path, assignment: str, master: Master) -> None:
    """Write the empty database to a temporary file and rename it: never a half-made database at *path*."""
    tmp = path.with_name(path.name + f".creating-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    db = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        db.execute("BEGIN")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        questions = [q.name for q in master.manual_questions]
        meta = {"app": APP_ID, "schema": SCHEMA_VERSION, "assignment": assignment,
                "questions": json.dumps(questions), "points": json.dumps({q.name: q.points for q in master.manual_questions})}
        db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        for question in master.manual_questions:
            for position, item in enumerate(question.rubric, start=1):
                db.execute("INSERT INTO rubric (question, position, text, points, accept) VALUES (?, ?, ?, ?, ?)",
                           (question.name, position, item.text, item.points, item.accept))
        db.execute("COMMIT")
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    os.replace(tmp, path)

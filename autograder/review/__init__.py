"""Rubric grading of written answers in the browser: `autograder review NAME OUT`.

- `store`: the SQLite database OUT/review.sqlite3 (WAL): answers read from the `grade` run, answer groups,
  the rubric as graders edit it, grades with a version per answer group, saved comments, the audit log.
  Every action is one transaction, committed before the server answers.
- `csvio`: manual_scores.csv export and import (one transaction).
- `app`: the Starlette application (token, CSRF, pages, JSON actions) and `serve`, the command.
"""

"""Pieces both `autograder` and `quizzes` build on: the one exception tree, atomic file writing, safe text
and math rendering. This package imports neither of them (docs/architecture.md)."""

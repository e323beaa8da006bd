"""The one exception tree of xent-lab.

Every failure a user can cause or meet is an :class:`XentError`. Each subclass
has a short ``kind`` that the CLI prints as ``kind: message`` before exiting
non-zero. Messages name the file and the problem and suggest the fix.
"""

from __future__ import annotations


class XentError(Exception):
    """Base class: a failure reported to the user as ``kind: message``."""

    kind = "error"

    def __str__(self) -> str:  # keep the message only; the CLI adds the kind
        return super().__str__()


class UsageError(XentError):
    """The command was called with arguments that cannot work."""

    kind = "usage"


class UnknownAssignmentError(XentError):
    """An assignment name that is not in ``assignments/``."""

    kind = "unknown-assignment"


class MasterNotebookError(XentError):
    """A master notebook that does not follow the Otter Assign conventions."""

    kind = "master-notebook"


class BuildError(XentError):
    """Otter Assign, or a step around it, failed."""

    kind = "build"


class SolutionScoreError(XentError):
    """The reference solution does not earn full marks."""

    kind = "solution-score"


class OutOfSyncError(XentError):
    """A checked-in generated file differs from what the build would write."""

    kind = "out-of-sync"


class AuditError(XentError):
    """The student copy leaks a solution, a hidden test or a hidden value."""

    kind = "audit"


class NotebookReadError(XentError):
    """A notebook that cannot be read (missing, empty, not JSON, wrong format)."""

    kind = "notebook"


class MutantFileError(XentError):
    """A mutant or alternative-solution file that cannot be understood."""

    kind = "mutant-file"


class AutograderZipError(XentError):
    """An autograder zip that is missing or unreadable."""

    kind = "autograder-zip"


class GradingError(XentError):
    """The grader itself could not work (not a student's failure)."""

    kind = "grading"


class InputFileError(XentError):
    """A user-supplied CSV or similar input with invalid rows."""

    kind = "input"


class QuizTemplateError(XentError):
    """A quiz template that is malformed or fails when drawn."""

    kind = "quiz-template"


class ExportError(XentError):
    """A quiz bank that cannot be exported."""

    kind = "export"


class UnknownTemplateError(UsageError):
    """A quiz template id that no file under quizzes/templates/ defines."""

    kind = "usage"


class CoverageError(XentError):
    """A quiz bank in which some examinable section of the unit has no item."""

    kind = "coverage"

"""The trust boundary: student code runs only in a sandbox; tests run only here, on plain data.

- sandbox.py (standard library only): the zygote that forks isolated sandboxes, and their request loop.
- codec.py: the only form in which anything crosses, in either direction: tagged JSON of plain data --
  numbers, str, bool, None, lists/tuples/dicts of these, numeric/bool/str numpy arrays, SymPy expressions
  from an allow-list, matplotlib figures as their axes' labels and line data, exceptions as a builtin type
  and message, warnings as category and message. Nothing that crosses is unpickled or evaluated.
- client.py: the trusted end of a sandbox's channel (one deadline per reply; bounds before parsing).
- runner.py: grades one submission: runs its cells in a sandbox, then every test case here, where the
  student's names (only those its question's contract declares) are proxies that call into the sandbox.
- batch.py: `autograder grade` -- many submissions, workers, resume, and the files OUT holds.

This package imports nothing at import time, so `grading.sandbox` can start a zygote before the heavy
imports of the trusted side.
"""

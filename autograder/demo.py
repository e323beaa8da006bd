"""`make demo`: the main job end to end on bundled sample data.

1. build every assignment (student copy, autograder zip, reference solution);
2. grade each assignment's reference solution and blank copy (a score table), and run a filled coin_mle
   notebook saved under another name, beside another notebook, in a Jupyter kernel: it checks itself;
3. grade the bundled sample class (correct, partly wrong, hostile, broken
   submissions) into a gradebook, feedback, report and grading packet, say how to open the review app
   on it, and merge a Canvas gradebook file; then regrade it after a planted change to one hidden test's points
   and print the path of regrade.html;
4. personal notebooks: build coin_mle for the sample roster (samples/roster.csv) with a course key made for
   the demo, grade the class's Canvas-named downloads on each owner's numbers, among them one answer copied
   from another student's variant, one notebook of another student and one stranger;
5. build the quiz bank and export it for Moodle, GIFT, Canvas and as a practice page.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from autograder import project
from autograder.build import build_assignments
from autograder.grading.batch import grade_batch
from autograder.lms import final_gradebook
from autograder.packet import make_packet
from autograder.grading.runner import Limits
from autograder.testfiles import cases_from_zip, copy_with_case_points
from quizzes.publish import build_quiz

SAMPLES = "coin_mle"


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def run_demo(*, root: Path = Path("."), out: Path = Path("demo-out")) -> None:
    root, out = Path(root).resolve(), Path(out).resolve()
    dist = out / "dist"
    built = build_assignments(None, dist=dist, root=root, solutions=out / "solutions", log=_say)
    rows = []
    for item in built:
        with tempfile.TemporaryDirectory(prefix="xent-demo-") as tmp:
            inputs = Path(tmp)
            shutil.copyfile(item.solution, inputs / "reference_solution.ipynb")
            shutil.copyfile(item.student, inputs / "blank_student_copy.ipynb")
            summary = grade_batch(item.name, [inputs], out=out / "reference" / item.name, root=root, dist=dist,
                                  workers=1, progress=lambda done, total: None)
        for row in summary.rows:
            rows.append((item.name, row["submission"].replace("_", " "), row["score"], row["max_score"]))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'assignment':<{width}}  {'submission':<20} {'score':>7} / max")
    for name, label, score, maximum in rows:
        print(f"{name:<{width}}  {label:<20} {score:>7g} / {maximum:g}")

    selfcheck_demo(next(item for item in built if item.name == SAMPLES), out / "selfcheck")

    samples = root / "samples" / SAMPLES
    class_out = out / "class" / SAMPLES
    _say(f"grading the sample class in {samples} ...")
    summary = grade_batch(SAMPLES, [samples], out=class_out, root=root, dist=dist,
                          limits=Limits(timeout=60, cell_timeout=5))
    print(f"\nSample class for {SAMPLES} (correct, partly wrong, hostile and broken submissions):")
    print(summary.describe())
    packet = make_packet(SAMPLES, class_out, root=root)
    print(packet.describe())
    print(f"\nGrade the written answers in the browser (rubric keys 1-9, 0; j/k; n; ? for help):\n"
          f"  .venv/bin/autograder --root {root} review {SAMPLES} {class_out}\n"
          "  (it prints http://127.0.0.1:PORT/?token=... and opens it; the grades go to "
          f"{class_out / 'review.sqlite3'}, and `autograder gradebook` merges them)")
    grades = final_gradebook(SAMPLES, class_out, root=root, lms="canvas")
    print(grades.describe())
    regrade = regrade_demo(samples, class_out, root=root, dist=dist)
    print(f"\nRegrade after a planted fix to one hidden test of {SAMPLES} ({regrade.summary()}):")
    print(f"regrade report: {regrade.html}")
    print(f"\nBuilt notebooks and autograder zips: {dist}/")
    personal_demo(root, out / "personal")
    quiz_demo(out)


def personal_demo(root: Path, out: Path):
    """Personal notebooks for the sample roster, graded on each owner's numbers. Returns the BatchSummary."""
    import nbformat

    from autograder import variants
    from autograder.mutants import Variant, apply_variant

    roster_file = root / "samples" / "roster.csv"
    key = out / "course.key"
    if not key.is_file():
        variants.write_new_key(key)
    _say(f"building personal {SAMPLES} notebooks for {roster_file} ...")
    build_assignments([SAMPLES], dist=out / "dist", root=root, solutions=out / "solutions", log=_say,
                      roster=roster_file, key_file=key)
    roster = variants.read_roster(roster_file)
    spec = variants.load_spec(project.master_path(root, SAMPLES).parent, SAMPLES)
    numbers = {s.id: spec.params_for(variants.read_key(key), s.id) for s in roster.students}
    ada, bo, mary, alan, grace = roster.students
    inputs = out / "downloads"
    shutil.rmtree(inputs, ignore_errors=True)
    inputs.mkdir(parents=True)

    def solution(student):
        return nbformat.read(out / "dist" / SAMPLES / "solutions" / f"{student.id}.ipynb", as_version=4)

    def canvas_name(student, number: int) -> str:  # Canvas's "Download submissions" file name
        return f"{student.name.split()[-1].lower()}_{student.id}_{9000 + number}_{SAMPLES}.ipynb"

    for number, student in enumerate((ada, mary, grace)):
        nbformat.write(solution(student), inputs / canvas_name(student, number))
    def mle(student) -> float:
        return numbers[student.id]["heads"] / (numbers[student.id]["heads"] + numbers[student.id]["tails"])

    # Charles types in a classmate's theta-hat (one whose flips give another value than his own)
    source = next((s for s in (ada, mary, grace, alan) if abs(mle(s) - mle(bo)) > 1e-9), ada)
    copied = apply_variant(solution(bo), Variant(slug="copied", path=Path("<demo>"), description="", loses=(),
                                                 answers={"q4": f"theta_hat = {mle(source)!r}  # from a chat"}))
    nbformat.write(copied, inputs / canvas_name(bo, 3))
    nbformat.write(solution(grace), inputs / canvas_name(alan, 4))  # Alan hands in Grace's notebook
    stranger = solution(ada)
    del stranger.metadata["xent"]
    nbformat.write(stranger, inputs / "unnamed_notebook.ipynb")
    summary = grade_batch(SAMPLES, [inputs], out=out / "graded", root=root, dist=out / "dist",
                          roster=roster_file, key_file=key, limits=Limits(timeout=60, cell_timeout=10))
    print(f"\nPersonal notebooks: {out / 'dist' / SAMPLES / 'students'}/<id>/{SAMPLES}.ipynb for the "
          f"{len(roster.students)} students of {roster_file.name} (key {key}, kept private)")
    for row in summary.records:
        flags = f" [{', '.join(row.flags)}]" if row.flags else ""
        print(f"  {row.submission:<32} {row.student or '-':>5} {row.status.value:<16} "
              f"{row.score:g} / {row.max_score:g}{flags}")
    print(summary.describe())
    for finding in summary.integrity.variant_findings:
        print(f"  planted copy found: {finding.submission}: {finding.sentence()}")
    print("  (every sample here is a reference solution, so the code check pairs them all; real classes differ)")
    return summary


def selfcheck_demo(item, folder: Path) -> None:
    """A student's filled notebook, renamed and beside another notebook, checking itself in a kernel."""
    import nbformat
    from nbclient import NotebookClient

    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / f"{item.name} (1).ipynb"
    shutil.copyfile(item.solution, notebook)
    shutil.copyfile(item.student, folder / "Untitled.ipynb")
    _say(f"running {notebook} in a Jupyter kernel ...")
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    print(f"\nSelf-check of a filled {item.name} notebook saved as {notebook.name!r} beside another notebook:")
    for cell in nb.cells:
        if cell.cell_type == "code" and "grader." in cell.source and not cell.source.startswith("#"):
            for output in cell.outputs:
                text = output.get("text") or output.get("data", {}).get("text/plain", "")
                print("  " + str(text).strip().replace("\n", "\n  "))
    submit = [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.startswith("# Before you submit")]
    for output in submit[0].outputs if submit else []:
        print("  " + str(output.get("text", "")).strip().replace("\n", "\n  "))


def regrade_demo(samples: Path, class_out: Path, *, root: Path, dist: Path):
    """The instructor's "fixed a test" regrade: a copy of the build in which one hidden test (the first hidden
    case of q2) is worth two more points, then `grade` again into the same OUT. Returns its RegradeReport."""
    zip_path = project.autograder_zip(dist, SAMPLES)
    case = next(c for c in cases_from_zip(zip_path) if c.question == "q2" and c.hidden)
    planted = Path(class_out).parent / "dist-regrade"
    shutil.rmtree(planted, ignore_errors=True)
    shutil.copytree(Path(dist) / SAMPLES, planted / SAMPLES, ignore=shutil.ignore_patterns("autograder.zip"))
    copy_with_case_points(zip_path, project.autograder_zip(planted, SAMPLES), "q2", case.index, case.points + 2)
    _say(f"regrading the sample class after a planted change ({case.key} now worth {case.points + 2:g} points) ...")
    summary = grade_batch(SAMPLES, [samples], out=class_out, root=root, dist=planted,
                          limits=Limits(timeout=60, cell_timeout=5))
    return summary.regrade


def quiz_demo(out: Path, *, variants: int = 5) -> list[Path]:
    """Build the quiz banks into OUT/quiz, say how big they are and what they cover, and export every format
    (the LMS files from the assessment bank, practice.html from the separate practice bank)."""
    _say("building the quiz bank and its exports ...")
    summaries, paths = build_quiz(out_dir=Path(out) / "quiz", variants=variants, formats="all")
    summary = summaries[0]
    print(f"\nQuiz bank {summary.path}: {summary.items} items from {summary.templates} templates "
          f"({summary.variants} variants each), coverage {summary.covered}/{summary.examinable} examinable "
          f"sections of the unit; practice bank {summaries[1].path}, no question shared with it")
    print("Quiz exports (Moodle XML, GIFT, Canvas QTI, offline practice page):")
    for path in paths:
        print(f"  {path}")
    return paths

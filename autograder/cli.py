"""Command line: parses arguments and calls the library. Nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from xentcore.errors import XentError


def _cmd_build(args: argparse.Namespace) -> int:
    from autograder.build import build_assignments

    build_assignments(args.names, dist=args.dist, check_only=args.check, root=args.root, roster=args.roster,
                      key_file=args.key_file)
    return 0


def _cmd_keygen(args: argparse.Namespace) -> int:
    from autograder.variants import write_new_key

    write_new_key(args.key_file)
    print(f"wrote a new variant key to {args.key_file} (readable by you only). Keep it private and keep it: "
          "building and grading personal notebooks need the same key.")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from autograder.check import check_notebook

    if args.no_sandbox:
        print("warning: --no-sandbox runs the notebook with your own permissions and network; use it only to "
              "debug a notebook you trust", file=sys.stderr)
    report = check_notebook(args.notebook, question=args.question, timeout=args.timeout,
                            cell_timeout=args.cell_timeout, sandbox=not args.no_sandbox)
    print(report.describe())
    return 0 if report.all_passed else 1


def _cmd_grade(args: argparse.Namespace) -> int:
    # The trusted side needs no BLAS threads, and without them grading workers fork from a lean process.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from autograder.grading.batch import grade_batch  # light: it starts the zygote before heavy imports
    from autograder.grading.limits import Limits

    summary = grade_batch(args.name, args.inputs, out=args.out, root=args.root, dist=args.dist,
                          workers=args.workers, dry_run_regrade=args.dry_run_regrade, shards=args.shards,
                          shard=args.shard, roster=args.roster, key_file=args.key_file,
                          limits=Limits(timeout=args.timeout, cell_timeout=args.cell_timeout, memory_mb=args.memory))
    print(summary.describe())
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from autograder.grading.shards import merge_shards

    print(merge_shards(args.out, root=args.root, dist=args.dist).describe())
    return 0


def _cmd_slurm(args: argparse.Namespace) -> int:
    from autograder.grading.slurm import submit_to_slurm

    run = submit_to_slurm(args.name, args.inputs, out=args.out, shards=args.shards, root=args.root, dist=args.dist,
                          partition=args.partition, time=args.time, wait=args.wait, dry_run=args.dry_run,
                          roster=args.roster, key_file=args.key_file)
    if args.dry_run:
        print(f"# {run.grade_script} (sbatch --array)\n{run.grade_text}\n# {run.merge_script} "
              f"(sbatch --dependency=afterany:ARRAY)\n{run.merge_text}", end="")
        return 0
    print(run.describe())
    return 0 if run.merge_status in (None, 0) else 1


def _cmd_packet(args: argparse.Namespace) -> int:
    from autograder.packet import make_packet

    print(make_packet(args.name, args.out, root=args.root, anonymise=args.anonymise).describe())
    return 0


def _cmd_gradebook(args: argparse.Namespace) -> int:
    from autograder.lms import final_gradebook

    result = final_gradebook(args.name, args.out, root=args.root, manual=args.manual, lms=args.lms,
                             title=args.title)
    print(result.describe())
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    if args.export_csv is not None or args.import_csv is not None:
        from autograder.review.csvio import export_csv, import_csv

        if args.import_csv is not None:
            count = import_csv(args.name, args.out, args.import_csv, root=args.root, grader=args.grader)
            print(f"imported {count} graded answers from {args.import_csv} into {args.out / 'review.sqlite3'}")
        if args.export_csv is not None:
            path = export_csv(args.name, args.out, root=args.root, path=args.export_csv or None)
            print(f"manual scores written: {path}")
        return 0
    from autograder.review.app import serve

    serve(args.name, args.out, root=args.root, host=args.host, port=args.port, grader=args.grader,
          names=args.names, open_browser=not args.no_browser,
          announce=lambda url: print(f"review app (Ctrl-C stops it): {url}", flush=True))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from autograder.demo import run_demo

    run_demo(root=args.root, out=args.out)
    return 0


def _cmd_quiz_build(args: argparse.Namespace) -> int:
    if args.purpose == "practice":
        from quizzes.bank import build_bank

        summary = build_bank(out_dir=args.out, seed=args.seed, variants=args.variants, purpose="practice",
                             avoid=args.avoid)
        print(summary.describe())
        if args.export:
            from quizzes.exporters import export_bank

            for path in export_bank(summary.path, out_dir=args.out, formats=_formats(args.export)):
                print(f"wrote {path}")
        return 0
    from quizzes.publish import build_quiz

    summaries, written = build_quiz(out_dir=args.out, seed=args.seed, variants=args.variants,
                                    formats=_formats(args.export) if args.export else None)
    for summary in summaries:
        print(summary.describe())
    for path in written:
        print(f"wrote {path}")
    return 0


def _cmd_quiz_export(args: argparse.Namespace) -> int:
    from quizzes.exporters import export_bank

    formats = _formats(args.format) if args.format else None
    for path in export_bank(args.bank, out_dir=args.out, formats=formats, force=args.force):
        print(f"wrote {path}")
    return 0


def _cmd_quiz_validate(args: argparse.Namespace) -> int:
    from quizzes.validate import validate_quiz
    from xentcore.errors import UnknownTemplateError

    try:
        report = validate_quiz(args.ids, seeds=args.seeds)
    except UnknownTemplateError as exc:     # a bad argument: exit 2, as argparse does
        print(f"{exc.kind}: {exc}", file=sys.stderr)
        return 2
    print(report.describe())
    return 0 if report.ok else 1


def _cmd_quiz_coverage(args: argparse.Namespace) -> int:
    from quizzes.coverage import check_bank_coverage, check_coverage_doc, write_coverage_doc

    if args.bank is not None:
        check_bank_coverage(args.bank)
    elif args.write_doc:
        print(f"wrote {write_coverage_doc().name}")
    else:
        check_coverage_doc()
    return 0


def _formats(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(),
        help="project folder holding assignments/ and solutions/ (default: current folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build student copies, autograder zips and reference solutions")
    build.add_argument("names", nargs="*", help="assignments to build (default: all)")
    build.add_argument("--dist", type=Path, default=Path("dist"), help="output folder (default: ./dist)")
    build.add_argument("--roster", type=Path, help="CSV of students (an `id` column, or Canvas's gradebook export): "
                                                   "one personal notebook each (docs/variants.md)")
    build.add_argument("--key-file", type=Path, help="the course's variant key (`autograder keygen KEY`)")
    build.add_argument("--check", action="store_true",
                       help="write nothing; fail if solutions/ is out of sync with the masters")
    build.set_defaults(func=_cmd_build)

    keygen = sub.add_parser("keygen", help="create the course's secret key for per-student variants")
    keygen.add_argument("key_file", type=Path, help="where to write it (never overwritten)")
    keygen.set_defaults(func=_cmd_keygen)

    check = sub.add_parser("check", help="run a notebook's public tests (for students)")
    check.add_argument("notebook", type=Path)
    check.add_argument("-q", "--question", help="check only this question (e.g. q1)")
    check.add_argument("--timeout", type=float, default=120.0, help="seconds for the whole notebook")
    check.add_argument("--cell-timeout", type=float, default=30.0, help="seconds per cell (default 30)")
    check.add_argument("--no-sandbox", action="store_true",
                       help="run in an ordinary process with your permissions (debugging only)")
    check.set_defaults(func=_cmd_check)

    grade = sub.add_parser("grade", help="grade submissions in sandboxes into a gradebook")
    grade.add_argument("name", help="assignment name")
    grade.add_argument("inputs", nargs="+", type=Path, help="notebooks or folders of notebooks")
    grade.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    grade.add_argument("--dist", type=Path, default=Path("dist"), help="where `build` wrote the autograder")
    grade.add_argument("--roster", type=Path, help="the roster the personal notebooks were built with: grade each "
                                                   "submission on its owner's numbers")
    grade.add_argument("--key-file", type=Path, help="the variant key the personal notebooks were built with")
    grade.add_argument("--workers", type=int, default=None, help="parallel sandboxes (default: cores)")
    grade.add_argument("--timeout", type=float, default=120.0, help="seconds per submission (default 120)")
    grade.add_argument("--cell-timeout", type=float, default=30.0, help="seconds per cell or call (default 30)")
    grade.add_argument("--memory", type=int, default=2048, help="MB of memory per sandbox (default 2048)")
    grade.add_argument("--dry-run-regrade", action="store_true",
                       help="show what a regrade would change (OUT/regrade-dry-run.html) without replacing results")
    grade.add_argument("--shards", type=int, default=None, metavar="N",
                       help="grade only a deterministic 1/N of the inputs (with --shard) into OUT/shards/I/")
    grade.add_argument("--shard", type=int, default=None, metavar="I", help="which shard, 0 to N-1")
    grade.set_defaults(func=_cmd_grade)

    merge = sub.add_parser("merge", help="merge OUT/shards/* into the gradebook, results, feedback and report")
    merge.add_argument("out", type=Path, help="the OUT folder the shards were graded into")
    merge.add_argument("--dist", type=Path, default=Path("dist"), help="where `build` wrote the autograder")
    merge.set_defaults(func=_cmd_merge)

    slurm = sub.add_parser("slurm", help="grade on a Slurm cluster: a job array of shards, then a merge job")
    slurm.add_argument("name", help="assignment name")
    slurm.add_argument("inputs", nargs="+", type=Path, help="notebooks or folders of notebooks (on shared storage)")
    slurm.add_argument("-o", "--out", type=Path, required=True, help="output folder (on shared storage)")
    slurm.add_argument("--shards", type=int, required=True, metavar="N", help="array tasks, each grading 1/N")
    slurm.add_argument("--dist", type=Path, default=Path("dist"), help="where `build` wrote the autograder")
    slurm.add_argument("--partition", help="Slurm partition (default: the cluster's default)")
    slurm.add_argument("--time", help="time limit per task, as sbatch --time takes it (e.g. 30:00)")
    slurm.add_argument("--wait", action="store_true", help="block until the merge job ends; exit with its status")
    slurm.add_argument("--dry-run", action="store_true", help="print the job scripts; submit nothing")
    slurm.add_argument("--roster", type=Path, help="as for `grade`: grade each submission on its owner's numbers")
    slurm.add_argument("--key-file", type=Path, help="as for `grade`: the variant key of the build")
    slurm.set_defaults(func=_cmd_slurm)

    packet = sub.add_parser("packet", help="HTML grading packet for written answers, and manual_scores.csv")
    packet.add_argument("name")
    packet.add_argument("out", type=Path, help="the OUT folder of `autograder grade`")
    packet.add_argument("--anonymise", "--anonymize", action="store_true",
                        help="show graders student-001... instead of submission names (key in OUT/packet_key.csv)")
    packet.set_defaults(func=_cmd_packet)

    book = sub.add_parser("gradebook", help="merge autograded and manual scores into final_grades.csv")
    book.add_argument("name")
    book.add_argument("out", type=Path, help="the OUT folder of `autograder grade`")
    book.add_argument("--manual", type=Path, help="filled-in manual_scores.csv")
    book.add_argument("--lms", choices=["canvas"], help="also write an LMS gradebook import file")
    book.add_argument("--title", help="assignment title in the LMS file (default: the assignment name)")
    book.set_defaults(func=_cmd_gradebook)

    review = sub.add_parser("review", help="grade written answers in the browser, by rubric and keyboard")
    review.add_argument("name")
    review.add_argument("out", type=Path, help="the OUT folder of `autograder grade` (database: OUT/review.sqlite3)")
    review.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine)")
    review.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    review.add_argument("--grader", default="grader", help="your name, written with every grade and rubric edit")
    review.add_argument("--names", action="store_true", help="show submission names instead of student-001...")
    review.add_argument("--no-browser", action="store_true", help="print the address only; do not open a browser")
    review.add_argument("--export-csv", nargs="?", const="", type=str, metavar="PATH",
                        help="write the grades as manual_scores.csv (default OUT/manual_scores.csv) and exit")
    review.add_argument("--import-csv", type=Path, metavar="CSV",
                        help="load a filled manual_scores.csv into the database (one transaction) and exit")
    review.set_defaults(func=_cmd_review)

    demo = sub.add_parser("demo", help="build every assignment and grade sample submissions end to end")
    demo.add_argument("--out", type=Path, default=Path("demo-out"), help="output folder (default: ./demo-out)")
    demo.set_defaults(func=_cmd_demo)

    quiz = sub.add_parser("quiz", help="generated quiz bank")
    quiz_sub = quiz.add_subparsers(dest="quiz_command", required=True)
    qbuild = quiz_sub.add_parser("build", help="draw seeded variants of every template into bank.json")
    qbuild.add_argument("--seed", type=int, default=0)
    qbuild.add_argument("--variants", type=int, default=5, help="variants per template")
    qbuild.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    qbuild.add_argument("--export", metavar="FORMATS",
                        help="also export into the same folder: moodle,gift,canvas,html or all; the LMS files "
                             "come from bank.json, practice.html from a separate practice_bank.json")
    qbuild.add_argument("--purpose", choices=("assessment", "practice"), default="assessment",
                        help="assessment (default): bank.json for the graded quiz; practice: practice_bank.json, "
                             "drawn from its own seed stream")
    qbuild.add_argument("--avoid", type=Path, metavar="BANK",
                        help="with --purpose practice: redraw any question this (assessment) bank holds")
    qbuild.set_defaults(func=_cmd_quiz_build)
    qexport = quiz_sub.add_parser("export", help="export a bank.json to LMS formats and a practice page")
    qexport.add_argument("bank", type=Path, help="bank.json written by `quiz build` (or its folder)")
    qexport.add_argument("-o", "--out", type=Path, required=True,
                         help="output folder for moodle.xml, quiz.gift, canvas_qti.zip, practice.html")
    qexport.add_argument("--format", default=None,
                         help="comma-separated subset of moodle,gift,canvas,html, or all (default: the bank's "
                              "purpose: moodle,gift,canvas for an assessment bank, html for a practice bank)")
    qexport.add_argument("--force", action="store_true",
                         help="export practice.html from an assessment bank (or LMS files from a practice bank)")
    qexport.set_defaults(func=_cmd_quiz_export)
    qvalidate = quiz_sub.add_parser("validate", help="stress-test templates over many seeds and list every problem")
    qvalidate.add_argument("ids", nargs="*", help="template ids (default: all)")
    qvalidate.add_argument("--seeds", type=int, default=200, help="seeds per template (default 200)")
    qvalidate.set_defaults(func=_cmd_quiz_validate)
    qcoverage = quiz_sub.add_parser("coverage", help="check docs/quiz_coverage.md (default), rewrite it, or prove "
                                                     "a bank.json covers every examinable section")
    qcoverage_mode = qcoverage.add_mutually_exclusive_group()
    qcoverage_mode.add_argument("--check", action="store_true",
                                help="write nothing; exit 1 if the doc is out of date (the default)")
    qcoverage_mode.add_argument("--write-doc", action="store_true",
                                help="regenerate docs/quiz_coverage.md from the templates and the default bank")
    qcoverage.add_argument("--bank", type=Path, help="instead: list the examinable sections this bank.json misses "
                                                    "(exit 1 if any)")
    qcoverage.set_defaults(func=_cmd_quiz_coverage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except XentError as exc:
        print(f"{exc.kind}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: stopped by the user; finished work is kept", file=sys.stderr)
        return 130


def entry() -> None:
    """The `autograder` command: main(), then exit without the interpreter's teardown.

    Every command has written and closed its files by the time main() returns; tearing down numpy,
    matplotlib and SymPy module by module would only add about 0.3 s to each command.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()

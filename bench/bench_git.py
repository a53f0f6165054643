"""Wall-clock figures for cxlib's git workflow: the pre-commit hook and the history pass.

    python bench/bench_git.py [--docs N] [--commits C] [--runs R] [--seed S] [--compare-gitpython]

The repository is built once under ``bench/out/`` (git-ignored): ``corpus.generate`` writes the
documents, then ``git fast-import`` writes a history of C commits along the corpus's four-year
timeline — each commit adds the next documents in creation order, a quarter of the documents are
first committed as an earlier version (another status) and finished in a later commit, and one in
twenty is first committed under another file name and renamed later (with its final edits). The
last commit's tree is exactly the generated corpus, so ``cxlib validate`` finds nothing.

Figures are medians of R runs of a new process each (``bench_cli.measure``), after an untimed
warm-up run, except the in-process row, which times the history functions themselves.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import inspect
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bench_cli  # bench/ is sys.path[0] when this file is run as a script
import corpus
from cxlib.ops.setup_files import pre_commit_config

OUT = bench_cli.OUT
AUTHORS = [
    "Ana Lima", "Bea Costa", "Caio Reis", "Dora Dias", "Emil Berg", "Fay Okafor", "Gus Novak",
    "Hana Sato", "Ivo Horvat", "Jin Park", "Kai Lund", "Lea Roy", "Mo Ali", "Nia Moss",
    "Omar Haddad", "Pia Falk", "Raj Iyer", "Sol Ruiz", "Tom Vogel", "Uma Sen",
]  # fmt: skip
FIRST_STATUS = {"insights": "draft", "opportunities": "idea", "experiments": "draft"}
# The config `cxlib init` writes, for the same folders as the generated corpus.
PRE_COMMIT_CONFIG = pre_commit_config(".", list(FIRST_STATUS), "cxlib.toml")


@dataclass
class Step:
    """What one commit writes: (path, bytes) additions or updates, and renames."""

    writes: list[tuple[str, bytes]] = field(default_factory=list)
    renames: list[tuple[str, str]] = field(default_factory=list)


def plan_history(kb: Path, paths: list[Path], commits: int, seed: int) -> list[Step]:
    rng = random.Random(seed)
    steps = [Step() for _ in range(commits)]
    steps[0].writes += [
        (name, (kb / name).read_bytes())
        for name in ("cxlib.toml", ".gitignore", ".pre-commit-config.yaml")
    ]
    # The files the documents name (screenshots, research notes), in the first commit.
    documents = set(paths)
    steps[0].writes += [
        (f.relative_to(kb).as_posix(), f.read_bytes())
        for folder in ("assets", "research")
        for f in sorted((kb / folder).rglob("*"))
        if f.is_file() and f not in documents
    ]
    for i, path in enumerate(paths):
        rel = path.relative_to(kb).as_posix()
        final = path.read_bytes()
        first = min(i * commits // len(paths), commits - 1)
        later = rng.randrange(first + 1, commits) if first + 1 < commits else None
        draw = rng.random()
        if later is not None and draw < 0.05:
            folder, name = rel.split("/", 1)
            early = f"{folder}/{name[: name.index('-', 4)]}-early-draft.md"
            steps[first].writes.append((early, _earlier(final, folder)))
            steps[later].renames.append((early, rel))
            steps[later].writes.append((rel, final))
        elif later is not None and draw < 0.30:
            steps[first].writes.append((rel, _earlier(final, rel.split("/", 1)[0])))
            steps[later].writes.append((rel, final))
        else:
            steps[first].writes.append((rel, final))
    return steps


def _earlier(text: bytes, folder: str) -> bytes:
    return re.sub(rb"(?m)^status: .*$", f"status: {FIRST_STATUS[folder]}".encode(), text, count=1)


def fast_import(kb: Path, steps: list[Step], seed: int) -> None:
    rng = random.Random(seed + 1)
    start = dt.datetime(2021, 6, 7, 9, tzinfo=dt.UTC).timestamp()
    span = 4 * 365 * 86400
    chunks: list[bytes] = []
    for n, step in enumerate(steps):
        who = rng.choice(AUTHORS)
        email = who.split()[0].lower() + "@example.com"
        when = int(start + span * n / len(steps))
        message = f"Library update {n + 1}: {len(step.writes)} file(s)".encode()
        chunks += [
            b"commit refs/heads/main",
            f"author {who} <{email}> {when} +0000".encode(),
            f"committer {who} <{email}> {when} +0000".encode(),
            b"data %d" % len(message),
            message,
        ]
        chunks += [f'R "{old}" "{new}"'.encode() for old, new in step.renames]
        for rel, data in step.writes:
            chunks += [f'M 100644 inline "{rel}"'.encode(), b"data %d" % len(data), data]
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=kb, input=b"\n".join(chunks) + b"\n", check=True
    )


def repository(docs: int, commits: int, seed: int) -> Path:
    """The generated repository, reused while the generators are unchanged."""
    name = f"git-kb-{docs}-{commits}-seed{seed}"
    kb, stamp = OUT / name, OUT / f"{name}.stamp"
    # Rebuilt when what makes the repository changes, not when the figures do.
    makers = (plan_history, _earlier, fast_import, repository)
    want = hashlib.sha256(
        Path(corpus.__file__).read_bytes()
        + "".join(inspect.getsource(f) for f in makers).encode()
        + PRE_COMMIT_CONFIG.encode()
        + corpus.EXAMPLE_CONFIG.read_bytes()
    ).hexdigest()
    if kb.is_dir() and stamp.is_file() and stamp.read_text() == want:
        return kb
    if kb.exists():
        shutil.rmtree(kb)  # only ever a folder this script made under bench/out/
    print(f"generating {docs} documents and {commits} commits into {kb} ...", flush=True)
    paths = corpus.generate(kb, docs, seed)
    (kb / ".pre-commit-config.yaml").write_text(PRE_COMMIT_CONFIG)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=kb, check=True)
    fast_import(kb, plan_history(kb, paths, commits, seed), seed)
    subprocess.run(["git", "reset", "-q"], cwd=kb, check=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=kb, capture_output=True, text=True, check=True
    ).stdout
    if dirty:
        sys.exit(f"error: the generated history does not end in the corpus:\n{dirty[:2000]}")
    stamp.write_text(want)
    return kb


def git(kb: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=kb, capture_output=True, text=True, check=True
    ).stdout.strip()


FLOOR_HOOK = """repos:
  - repo: local
    hooks:
      - id: nothing
        name: nothing
        entry: "true"
        language: system
        files: '\\.md$'
"""


def hook_figures(cxlib: str, kb: Path, runs: int, one: str) -> list[bench_cli.Figure]:
    path = kb / one
    original = path.read_bytes()
    head = git(kb, "rev-parse", "HEAD")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    bench_cli.settle(kb)
    rows = [
        bench_cli.measure("cxlib --version (start-up only)", [cxlib, "--version"], kb, runs),
        bench_cli.measure(
            "validate ONE (warm, unchanged)", [cxlib, "validate", one], kb, runs, 0.5
        ),
    ]
    from cxlib.kb.store import KnowledgeBase
    from cxlib.ops.validate import validate

    base = KnowledgeBase.open(kb)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        report = validate(base, [one], cwd=kb)
        seconds.append(time.perf_counter() - start)
    rows.append(
        bench_cli.Figure(
            "validate ONE in-process (no start-up)",
            seconds,
            [],
            None,
            f"{report.total:,} documents, {report.errors} errors",
        )
    )

    def edit(run: int) -> None:
        bench_cli.edit_line(path, original, run)

    def edit_and_stage(run: int) -> None:
        edit(run)
        git(kb, "add", "--", one)

    def commit_again(run: int) -> None:
        if git(kb, "rev-parse", "HEAD") != head:
            git(kb, "reset", "-q", "--soft", head)
        edit_and_stage(run)

    # The framework's own cost: the same files, a hook that runs `true`.
    floor_config = kb.parent / f"{kb.name}-floor-hook.yaml"
    floor_config.write_text(FLOOR_HOOK)
    rows += _hook_and_framework(
        [*pre_commit, "run", "cxlib-validate", "--files", one],
        [*pre_commit, "run", "--config", str(floor_config), "--files", one],
        kb,
        runs,
    )
    try:
        rows.append(
            bench_cli.measure(
                "validate ONE, it edited (the hook's work)",
                [cxlib, "validate", one],
                kb,
                runs,
                0.5,
                prepare=edit,
            )
        )
        rows.append(
            bench_cli.measure(
                "pre-commit run --files ONE (staged)",
                [*pre_commit, "run", "cxlib-validate", "--files", one],
                kb,
                runs,
                None,
                prepare=edit_and_stage,
                note="framework start-up included",
            )
        )
        subprocess.run([*pre_commit, "install", "-f"], cwd=kb, check=True, capture_output=True)
        rows.append(
            bench_cli.measure(
                "git commit, hook installed",
                ["git", "commit", "-q", "-m", "bench"],
                kb,
                runs,
                None,
                prepare=commit_again,
            )
        )
        rows.append(
            bench_cli.measure(
                "git commit --no-verify (no hook)",
                ["git", "commit", "-q", "--no-verify", "-m", "bench"],
                kb,
                runs,
                None,
                prepare=commit_again,
            )
        )
    finally:
        subprocess.run([*pre_commit, "uninstall"], cwd=kb, capture_output=True)
        git(kb, "reset", "-q", "--hard", head)
        path.write_bytes(original)
    return rows


def _hook_and_framework(
    hook: list[str], framework: list[str], kb: Path, runs: int
) -> list[bench_cli.Figure]:
    """``pre-commit run`` with the cxlib hook and with a hook that runs ``true``, in turn, and
    the hook's share: the difference pair by pair. The framework's share (its start-up, its git
    calls) is no cxlib code, and moves with the machine's load as much as the hook does."""
    env = bench_cli.clean_env()
    with_hook, alone = bench_cli.in_turn(
        [bench_cli.Turn(hook, kb, env), bench_cli.Turn(framework, kb, env)],
        max(runs, bench_cli.PAIRS_AT_LEAST),
    )
    share = [a - b for a, b in zip(with_hook.seconds, alone.seconds, strict=True)]
    return [
        bench_cli.Figure(
            "pre-commit run --files ONE (warm, unchanged)",
            with_hook.seconds,
            with_hook.cpu,
            0.4,
            "in turn with the next row",
        ),
        bench_cli.Figure(
            "pre-commit run --files ONE, a hook running true",
            alone.seconds,
            alone.cpu,
            note="floor: the framework alone",
        ),
        bench_cli.Figure(
            "  the cxlib hook's share",
            share,
            [],
            note="the two rows above, pair by pair: the hook's process in the framework",
        ),
    ]


def lock_figures(cxlib: str, kb: Path, runs: int, exp: str) -> list[bench_cli.Figure]:
    """The pre-registration lock's cost. ``exp`` is an experiment that is running or later, so
    the hook reads its history. Each run first commits an edit of it (the hook is measured right
    after a new commit), then validates it with the lock on and, for comparison, off; and a
    whole-base validate after such a commit (the history cache extended from the cached HEAD)
    against one without a history cache (the full pass, reading every experiment's versions up
    to the one that first ran)."""
    path = kb / exp
    original = path.read_bytes()
    config = kb / "cxlib.toml"
    config_text = config.read_bytes()
    history = kb / ".cxlib" / "history.json"
    head = git(kb, "rev-parse", "HEAD")

    def commit_edit(run: int) -> None:
        bench_cli.edit_line(path, original, run)
        git(kb, "add", "--", exp)
        git(kb, "commit", "-q", "--no-verify", "-m", f"bench {run}")

    other = next(f.relative_to(kb).as_posix() for f in sorted((kb / "insights").glob("*.md")))
    other_text = (kb / other).read_bytes()

    def commit_other(run: int) -> None:
        bench_cli.edit_line(kb / other, other_text, run)
        git(kb, "add", "--", other)
        git(kb, "commit", "-q", "--no-verify", "-m", f"bench other {run}")

    def commit_edit_cold(run: int) -> None:
        commit_edit(run)
        history.unlink(missing_ok=True)

    def lock(on: bool) -> None:
        off = b"\n[validate]\npreregistration_lock = false\n"
        config.write_bytes(config_text if on else config_text + off)

    rows: list[bench_cli.Figure] = []
    try:
        rows += _alternating(cxlib, kb, runs, exp, commit_edit, lock)
        for on in (True, False):
            lock(on)
            state = "on" if on else "off"
            rows.append(
                bench_cli.measure(
                    f"validate EXP right after a commit, lock {state}",
                    [cxlib, "validate", exp],
                    kb,
                    runs,
                    None,
                    prepare=commit_edit,
                    note="EXP: an experiment running or later, edited in that commit",
                )
            )
            rows.append(
                bench_cli.measure(
                    f"validate EXP (unchanged) after a commit, lock {state}",
                    [cxlib, "validate", exp],
                    kb,
                    runs,
                    None,
                    prepare=commit_other,
                    note="the commit changed another document",
                )
            )
        lock(True)
        rows.append(
            bench_cli.measure(
                "validate (whole) right after a commit",
                [cxlib, "validate"],
                kb,
                runs,
                None,
                prepare=commit_edit,
                note="history cache extended by one commit",
            )
        )
        rows.append(
            bench_cli.measure(
                "validate (whole), no history cache",
                [cxlib, "validate"],
                kb,
                runs,
                None,
                prepare=commit_edit_cold,
                note="the full history pass with the registrations",
            )
        )
        lock(False)
        rows.append(
            bench_cli.measure(
                "validate (whole) right after a commit, lock off",
                [cxlib, "validate"],
                kb,
                runs,
                None,
                prepare=commit_edit,
            )
        )
    finally:
        config.write_bytes(config_text)
        git(kb, "reset", "-q", "--hard", head)
        path.write_bytes(original)
        (kb / other).write_bytes(other_text)
    return rows


def _alternating(
    cxlib: str,
    kb: Path,
    runs: int,
    exp: str,
    commit_edit: bench_cli.Prepare,
    lock: Callable[[bool], None],
) -> list[bench_cli.Figure]:
    """The hook right after a commit of EXP, with the lock on and off in turn (each after an
    untimed run that validates the config variant), so that drift on a busy machine falls on
    both alike."""
    env = bench_cli.clean_env()
    command = [cxlib, "validate", exp]
    edits = itertools.count(100)

    def turn(on: bool) -> bench_cli.Turn:
        def before() -> None:
            lock(on)
            bench_cli.run_once(command, kb, env)  # the config variant validated, untimed
            commit_edit(next(edits))

        return bench_cli.Turn(command, kb, env, before)

    got = bench_cli.in_turn([turn(True), turn(False)], runs)
    return [
        bench_cli.Figure(
            f"validate EXP after a commit of it, lock {'on' if on else 'off'} (alternating)",
            runs_of.seconds,
            runs_of.cpu,
            None,
            "runs with the lock on and off in turn",
        )
        for on, runs_of in zip((True, False), got, strict=True)
    ]


def history_figures(
    cxlib: str, kb: Path, runs: int, log_id: str, compare: bool
) -> list[bench_cli.Figure]:
    history = kb / ".cxlib" / "history.json"
    drop_commit_graph(kb)
    rows = [
        bench_cli.measure(
            "git log -z -M --name-status (git alone)",
            [
                "git",
                "log",
                "-z",
                "-M",
                "--reverse",
                "--name-status",
                "--format=%H",
                "--",
                "insights",
                "opportunities",
                "experiments",
            ],
            kb,
            runs,
            None,
        ),
        bench_cli.measure(
            "cxlib log (history pass, no cache)",
            [cxlib, "log", "--format", "json"],
            kb,
            runs,
            None,
            prepare=lambda _: history.unlink(missing_ok=True),
        ),
        bench_cli.measure(
            "cxlib log (history cached for HEAD)", [cxlib, "log", "--format", "json"], kb, runs
        ),
        bench_cli.measure(f"cxlib log {log_id}", [cxlib, "log", log_id], kb, runs),
        bench_cli.measure(
            "cxlib review --base HEAD~5 (working tree)",
            [cxlib, "review", "--base", "HEAD~5"],
            kb,
            runs,
            None,
            note="the last 5 commits' documents",
        ),
    ]
    from cxlib.kb import git as cxgit
    from cxlib.kb.history import from_commits
    from cxlib.kb.store import KnowledgeBase

    base = KnowledgeBase.open(kb)
    folders = [s.folder for s in base.config.kinds.values()]
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        with cxgit.session(kb) as g:
            docs = from_commits(g.log(folders))
        seconds.append(time.perf_counter() - start)
    rows.append(
        bench_cli.Figure(
            "history pass in-process (log + fold)", seconds, [], None, f"{len(docs):,} documents"
        )
    )
    # git's commit-graph with changed-path filters (``git maintenance`` writes it) lets a
    # path-limited walk skip commits without reading their trees.
    subprocess.run(
        ["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=kb, check=True
    )
    try:
        rows += [
            bench_cli.measure(
                "cxlib log (no cache), commit-graph",
                [cxlib, "log", "--format", "json"],
                kb,
                runs,
                None,
                prepare=lambda _: history.unlink(missing_ok=True),
            ),
            bench_cli.measure(
                f"cxlib log {log_id}, commit-graph", [cxlib, "log", log_id], kb, runs
            ),
        ]
    finally:
        drop_commit_graph(kb)
    if compare:
        rows.append(gitpython_objects(kb, folders))
    return rows


def drop_commit_graph(kb: Path) -> None:
    info = kb / ".git" / "objects" / "info"
    (info / "commit-graph").unlink(missing_ok=True)
    shutil.rmtree(info / "commit-graphs", ignore_errors=True)


def gitpython_objects(kb: Path, folders: list[str]) -> bench_cli.Figure:
    """The same facts through GitPython's object API, commit by commit (for comparison)."""
    import git as gitpython

    start = time.perf_counter()
    with gitpython.Repo(kb) as repo:
        touched = 0
        for c in repo.iter_commits("HEAD", paths=folders):
            parent = c.parents[0] if c.parents else gitpython.NULL_TREE
            touched += len(c.diff(parent, paths=folders))
    return bench_cli.Figure(
        "GitPython objects, commit by commit",
        [time.perf_counter() - start],
        [],
        None,
        f"{touched:,} file changes, one run",
    )


def _locked_experiment(kb: Path, changed: list[str]) -> str:
    """The most-changed experiment that is running or later (its history is read by the lock)."""
    counts = collections.Counter(changed)
    running = re.compile(rb"(?m)^status: (running|concluded|implemented)$")
    return max(
        (p for p in counts if (kb / p).is_file() and running.search((kb / p).read_bytes())),
        key=lambda p: (counts[p], p),
    )


def main(argv: list[str] | None = None) -> int:
    parser = bench_cli.corpus_parser("Time the hook and the history pass.")
    parser.add_argument("--commits", type=int, default=2_000, metavar="C")
    parser.add_argument(
        "--part",
        choices=("all", "hook", "lock", "history"),
        default="all",
        help="which figures to take",
    )
    parser.add_argument(
        "--compare-gitpython",
        action="store_true",
        help="also time GitPython's object API commit by commit (slow)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.commits < 2:
        parser.error("--runs must be at least 1 and --commits at least 2")
    cxlib = bench_cli.cxlib_command()
    # Measured runs inherit these: pre-commit's own store, and the hook's cxlib on PATH.
    os.environ["PRE_COMMIT_HOME"] = str(OUT / "pre-commit-home")
    os.environ["PATH"] = str(Path(cxlib).parent) + os.pathsep + os.environ.get("PATH", "")
    kb = repository(args.docs, args.commits, args.seed)
    files = bench_cli.document_files(kb)
    one = files[len(files) // 2].relative_to(kb).as_posix()
    counts = git(kb, "rev-list", "--count", "HEAD")
    changed = [
        line
        for line in git(kb, "log", "--format=", "--name-only", "--", "experiments").splitlines()
        if line
    ]
    busiest = statistics.mode(changed)
    log_id = Path(busiest).name[: len("EXP-0000")]
    rows = hook_figures(cxlib, kb, args.runs, one) if args.part in ("all", "hook") else []
    if args.part in ("all", "lock"):
        rows += lock_figures(cxlib, kb, args.runs, _locked_experiment(kb, changed))
    if args.part in ("all", "history"):
        rows += history_figures(cxlib, kb, args.runs, log_id, args.compare_gitpython)
    print()
    print(bench_cli.describe(cxlib, kb, args.docs, args.runs))
    print(f"history: {counts} commits; ONE = {one}; {log_id}: the most-changed experiment")
    print()
    bench_cli.print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Record what the cxlib CLI prints for a fixed list of invocations, and compare two recordings.

    python bench/behaviour.py record OUT_DIR
    python bench/behaviour.py compare DIR_A DIR_B

A refactoring that promises to change no behaviour is checked like this: record with the code
before it, record with the code after it, compare. ``record`` runs every case as a new process,
``[sys.executable, "-m", "cxlib", ...]``, so it tests whichever cxlib the interpreter that runs
this script imports (run it with the development venv's Python). It never imports cxlib itself.

``record`` builds two knowledge bases in a temporary folder, runs every case and writes, per case,
``OUT_DIR/<base>/<case>.out`` (stdout), ``.err`` (stderr) and ``.rc`` (exit code); cases that
edit files also write ``.tree`` (``git status`` and ``git diff`` afterwards: what the command
changed, and proof that a refusal wrote nothing). ``OUT_DIR/index.txt`` lists the cases with
their command lines. An existing recording in OUT_DIR is replaced. ``compare`` prints each case
whose files differ, with a short unified diff, then ``N cases: I identical, D different``; it
exits 0 when every case is identical, 1 otherwise, 2 when a folder is not a recording.

The bases:

- ``northwind``: ``examples/northwind`` committed on ``main`` (tag ``first``), then a branch
  ``change`` (checked out) that adds an insight, changes an opportunity's effort and links it to
  the new insight, and moves an experiment planned -> running -> abandoned in two commits; and a
  later commit on ``main`` that adds another document with the same new id, so
  ``review --base main`` reports the collision. The two new documents are in
  ``bench/fixtures/northwind/``.
- ``every-rule``: the northwind ``cxlib.toml`` (plus ``[validate]`` with the created-date rule
  on), the documents of ``bench/fixtures/every-rule/`` and a few that this script writes (bytes a
  checked-in file should not hold), so that every finding code ``cxlib validate`` can emit fires
  at least once; ``EXPECTED_CODES`` says which file fires which. After recording, a code that did
  not fire, or a code that fired but is not listed there, is reported as a warning.

Read-only cases run in order on the base itself, so the caches (``.cxlib/``) and the search index
evolve the same way in every recording. Cases that edit files run on a copy of the base that is
restored (``git reset --hard``, ``git clean -fdx``, which also drops the cache) before each one.

Determinism: every process gets an environment built from nothing but: a temporary HOME whose
``.gitconfig`` pins the identity (Test Owner <owner@example.com>), ``init.defaultBranch=main``
and ``commit.gpgsign=false``; ``GIT_CONFIG_NOSYSTEM=1``; fixed ``GIT_AUTHOR_DATE`` and
``GIT_COMMITTER_DATE`` (so commit ids are the same in every run); ``CXLIB_TODAY``; ``NO_COLOR``,
``COLUMNS=120``, ``TERM=dumb``, ``TZ=UTC``, a UTF-8 locale; ``XDG_CACHE_HOME``,
``XDG_CONFIG_HOME`` and ``TMPDIR`` inside the temporary folder; and ``PATH``. Nothing else of the
caller's environment reaches cxlib (no ``GITHUB_ACTIONS``, ``CXLIB_OUTPUT_FORMAT``,
``FORCE_COLOR``, ``EDITOR``, ``VISUAL``, ``GIT_DIR``, ``GIT_INDEX_FILE``...), except where a case
sets a variable on purpose. Every file of a base gets the same fixed modification time, so
cxlib's cache takes the same path in every run (its "racy clean" rule depends on file age).

Normalisations, the only changes made to the output before it is written:

- the path of the base a case runs in becomes ``<BASE>``, the temporary HOME ``<HOME>``, the rest
  of the temporary folder ``<TMP>`` (each also in its ``realpath`` spelling).

Nothing else needed normalising: the CLI prints no timings, today is fixed, and commit ids are
reproducible. Check that by recording twice and comparing; a difference between two recordings
of the same code is a bug in cxlib or in this script. One case depends on the length of the
temporary folder's path (``every-rule/validate-unreadable-folder`` nests folders until the path is
too long to open), so recordings compare only on the same machine and ``TMPDIR``.

The case list is the contract: adding, removing or renaming a case makes the next comparison
show it as different, so change the list in a commit of its own, not in the refactoring.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "northwind"
FIXTURES = REPO / "bench" / "fixtures"

TODAY = "2026-06-15"
GIT_DATE = "2026-06-01T12:00:00+00:00"
# Every file of a base gets this modification time (the first commit's date).
FILE_MTIME = dt.datetime.fromisoformat(GIT_DATE).timestamp()

GITCONFIG = """\
[user]
\tname = Test Owner
\temail = owner@example.com
[init]
\tdefaultBranch = main
[commit]
\tgpgsign = false
[advice]
\tdetachedHead = false
"""

# What a case records, in the order compare reports differences (the exit code says most).
RESULT_FILES = {".rc": "exit code", ".err": "stderr", ".out": "stdout", ".tree": "tree"}
# compare prints at most this many diff lines per differing case.
DIFF_LINES = 40


# -- the environment --------------------------------------------------------------------------


def isolated_env(tmp: Path) -> dict[str, str]:
    """The whole environment of every process: built from nothing, so no variable of the caller
    (GITHUB_ACTIONS, CXLIB_OUTPUT_FORMAT, FORCE_COLOR, EDITOR, GIT_DIR...) changes an output."""
    home = tmp / "home"
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONIOENCODING": "utf-8",
        "TMPDIR": str(tmp / "tmp"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": GIT_DATE,
        "GIT_COMMITTER_DATE": GIT_DATE,
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "TERM": "dumb",
        "CXLIB_TODAY": TODAY,
    }


def make_home(tmp: Path) -> None:
    for sub in ("home/.cache", "home/.config", "tmp"):
        (tmp / sub).mkdir(parents=True)
    (tmp / "home" / ".gitconfig").write_text(GITCONFIG, encoding="utf-8")


def git(root: Path, env: dict[str, str], *args: str, date: str | None = None) -> str:
    """Run git in ``root``; ``date`` overrides the author and committer date of a commit."""
    if date is not None:
        env = {**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"error: git {' '.join(args)} failed in {root}:\n{done.stderr}")
    return done.stdout


def freeze_mtimes(root: Path) -> None:
    """Give every file (not .git's) the same old modification time; symlinks are left alone."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.utime(path, (FILE_MTIME, FILE_MTIME))


def commit_all(root: Path, env: dict[str, str], message: str, date: str) -> None:
    freeze_mtimes(root)
    git(root, env, "add", "-A")
    git(root, env, "commit", "-q", "-m", message, date=date)


# -- the northwind base -----------------------------------------------------------------------


def _replace(path: Path, old: str, new: str) -> None:
    """Edit a file; the edit must apply exactly once, so a changed example fails loudly."""
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        sys.exit(f"error: {path}: expected exactly one {old!r}")
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_northwind(root: Path, env: dict[str, str]) -> None:
    """The example on main (tag 'first'); main then takes INS-0017 for one document while the
    branch 'change' (checked out) takes it for another, and edits and runs an experiment."""
    shutil.copytree(EXAMPLE, root)
    (root / ".gitignore").write_text(".cxlib/\n", encoding="utf-8")
    git(root, env, "init", "-q")
    commit_all(root, env, "Northwind as in the example", GIT_DATE)
    git(root, env, "tag", "first")
    git(root, env, "branch", "change")

    shutil.copytree(FIXTURES / "northwind" / "on-main", root, dirs_exist_ok=True)
    commit_all(root, env, "Club invoices", "2026-06-05T09:00:00+00:00")

    git(root, env, "checkout", "-q", "change")
    shutil.copytree(FIXTURES / "northwind" / "on-change", root, dirs_exist_ok=True)
    opp = root / "opportunities" / "OPP-0003-simplify-mobile-address-entry.md"
    _replace(opp, "effort: 2\n", "effort: 3\n")
    _replace(opp, "insights: [INS-0004]\n", "insights: [INS-0004, INS-0017]\n")
    exp = root / "experiments" / "EXP-0022-chat-queue-position-and-expected-wait.md"
    _replace(exp, "status: planned\n", "status: running\nstart: 2026-06-08\n")
    commit_all(
        root, env, "Queue position: an insight, the test starts", "2026-06-08T10:00:00+00:00"
    )
    _replace(exp, "status: running\n", "status: abandoned\n")
    commit_all(root, env, "Queue position test abandoned", "2026-06-10T16:30:00+00:00")


# -- the every-rule base ----------------------------------------------------------------------

# The created-date rule is off by default; on, it flags INS-0009 (created long before its commit).
EVERY_RULE_CONFIG_EXTRA = """
[validate]
check_created_against_git = true
created_tolerance_days = 120
"""

# A folder name so long that a few levels of it exceed PATH_MAX, for the 'unreadable' finding.
DEEP_DIR = "d" * 250


def generated_documents() -> dict[str, bytes]:
    """The every-rule documents not kept in bench/fixtures/every-rule/: bytes that editors, git
    settings or repository hooks would "fix" (a tab, UTF-16, Latin-1, a lone CR, a control
    character, conflict markers), and the two over-size files."""
    front = b"---\nid: INS-0027\ntitle: Huge\nstatus: draft\ncreated: 2026-03-02\n---\n"
    return {
        "insights/INS-0026-huge-front-matter.md": (
            b'---\nid: INS-0026\nnotes: "' + b"x" * 70_000 + b'"\n---\n'
        ),
        "insights/INS-0027-huge-file.md": front + b"Two MiB of the same line.\n" * 90_000,
        "insights/INS-0029-tab.md": b"---\nid: INS-0029\ntags:\n\t- a\n---\n",
        "experiments/EXP-0035-utf16.md": "---\nid: EXP-0035\n---\n".encode("utf-16"),
        "experiments/EXP-0036-latin1.md": b"---\nid: EXP-0036\ntitle: caf\xe9\n---\n",
        "experiments/EXP-0037-lone-cr.md": b"---\nid: EXP-0037\n---\nold\rmac\n",
        "experiments/EXP-0038-control.md": b"---\nid: EXP-0038\n---\nbell \x07 here\n",
        "experiments/EXP-0039-conflict-in-body.md": (
            b"---\nid: EXP-0039\n---\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> other\n"
        ),
        "experiments/EXP-0041-conflict-in-front-matter.md": (
            b"---\nid: EXP-0041\ntitle: ours\n=======\ntitle: theirs\n---\n"
        ),
    }


def build_every_rule(root: Path, env: dict[str, str]) -> None:
    shutil.copytree(FIXTURES / "every-rule", root)
    config = (EXAMPLE / "cxlib.toml").read_text(encoding="utf-8")
    (root / "cxlib.toml").write_text(config + EVERY_RULE_CONFIG_EXTRA, encoding="utf-8")
    (root / ".gitignore").write_text(".cxlib/\n", encoding="utf-8")
    for rel, content in generated_documents().items():
        (root / rel).write_bytes(content)
    (root / "opportunities" / "OPP-0040-a-symlink.md").symlink_to(
        "../insights/INS-0002-delivery-dates-matter.md"
    )
    git(root, env, "init", "-q")
    commit_all(root, env, "Every rule, broken once", GIT_DATE)


def make_unreadable_folder(root: Path) -> None:
    """insights/ nested past PATH_MAX (the 'unreadable' finding)."""
    # Listing the deepest folder fails even for root, who reads any folder whose permissions
    # forbid it. Built through directory descriptors, which have no length limit.
    fd = os.open(root / "insights", os.O_RDONLY)
    try:
        for _ in range(20):
            os.mkdir(DEEP_DIR, dir_fd=fd)
            inner = os.open(DEEP_DIR, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


# code -> the file (or the start of the path) it must fire on, in the output of a validate or
# review case with --format json.
EXPECTED_CODES: dict[str, dict[str, str]] = {
    "every-rule": {
        # kb/parse.py and kb/yaml_strict.py: the file and its front-matter block
        "file-too-large": "insights/INS-0027-huge-file.md",
        "encoding": "experiments/EXP-0035-utf16.md",  # and EXP-0036, invalid UTF-8
        "line-endings": "experiments/EXP-0037-lone-cr.md",
        "control-character": "experiments/EXP-0038-control.md",
        "merge-conflict": "experiments/EXP-0039-conflict-in-body.md",  # and EXP-0041
        "missing-front-matter": "insights/INS-0020-no-front-matter.md",
        "front-matter-position": "insights/INS-0021-late-front-matter.md",
        "unsupported-format": "insights/INS-0022-toml-front-matter.md",  # and INS-0023, JSON
        "front-matter-unclosed": "insights/INS-0024-unclosed.md",
        "front-matter-not-mapping": "insights/INS-0025-a-list.md",
        "front-matter-too-large": "insights/INS-0026-huge-front-matter.md",
        "yaml-syntax": "insights/INS-0028-yaml-syntax.md",
        "yaml-tab": "insights/INS-0029-tab.md",
        "duplicate-key": "insights/INS-0030-duplicate-key.md",
        "yaml-key": "insights/INS-0031-number-key.md",
        "yaml-alias": "insights/INS-0032-alias.md",
        "yaml-tag": "insights/INS-0033-tag.md",
        "yaml-depth": "insights/INS-0034-deep.md",
        # kb/files.py: the folder walk
        "symlink": "opportunities/OPP-0040-a-symlink.md",
        "unreadable": f"insights/{DEEP_DIR}/",  # only in validate-unreadable-folder
        # model/schema_check.py
        "missing-field": "insights/INS-0013-missing-fields.md",
        "invalid-value": "insights/INS-0014-invalid-values.md",  # also OPP-0016, EXP-0017
        "invalid-date": "insights/INS-0015-invalid-dates.md",
        "out-of-range": "opportunities/OPP-0016-out-of-range.md",  # also EXP-0017
        "unknown-field": "insights/INS-0004-learned-from-an-experiment.md",
        # model/rules.py
        "file-name": "insights/notes-on-delivery.md",
        "id-mismatch": "experiments/EXP-0009-named-for-another.md",
        "id-prefix": "insights/OPP-0011-in-the-wrong-folder.md",
        "unknown-stage": "insights/INS-0005-unknown-names.md",
        "unknown-team": "insights/INS-0005-unknown-names.md",
        "unknown-touchpoint": "insights/INS-0006-unknown-touchpoint.md",
        "touchpoint-without-stage": "insights/INS-0007-touchpoint-alone.md",
        "unknown-segment": "insights/INS-0004-learned-from-an-experiment.md",
        "unknown-metric": "opportunities/OPP-0002-prioritized-too-early.md",  # also EXP-0007
        "metric-not-business": "experiments/EXP-0003-planned-from-nowhere.md",  # error: EXP-0006
        "insight-evidence": "insights/INS-0003-validated-without-evidence.md",
        "insight-confidence": "insights/INS-0003-validated-without-evidence.md",
        "insight-loop": "insights/INS-0004-learned-from-an-experiment.md",
        "opportunity-owner": "opportunities/OPP-0002-prioritized-too-early.md",
        "opportunity-scores": "opportunities/OPP-0002-prioritized-too-early.md",
        "opportunity-insight": "opportunities/OPP-0002-prioritized-too-early.md",
        "opportunity-section": "opportunities/OPP-0002-prioritized-too-early.md",
        "experiment-origin": "experiments/EXP-0003-planned-from-nowhere.md",
        "experiment-owner": "experiments/EXP-0003-planned-from-nowhere.md",  # and EXP-0004..6
        "experiment-start": "experiments/EXP-0004-running-blind.md",
        "experiment-hypothesis": "experiments/EXP-0004-running-blind.md",
        "experiment-metric": "experiments/EXP-0004-running-blind.md",
        "experiment-end": "experiments/EXP-0005-concluded-without-result.md",
        "experiment-outcome": "experiments/EXP-0005-concluded-without-result.md",
        "experiment-learnings": "experiments/EXP-0005-concluded-without-result.md",  # EXP-0006
        "decision-pending": "experiments/EXP-0005-concluded-without-result.md",  # and EXP-0006
        "experiment-dates": "experiments/EXP-0006-lost-and-backwards.md",
        "updated-before-created": "insights/INS-0008-updated-too-early.md",
        "duplicate-id": "experiments/EXP-0008-first-of-two.md",
        "broken-link": "insights/INS-0010-bad-links.md",
        "self-link": "insights/INS-0010-bad-links.md",  # a [[wiki link]]; EXP-0007: follows
        "link-kind": "insights/INS-0010-bad-links.md",  # also EXP-0007
        "duplicate-link": "opportunities/OPP-0003-listed-twice.md",
        # model/history_rules.py, with [validate] check_created_against_git
        "created-vs-git": "insights/INS-0009-old-created-date.md",
    },
    "northwind": {
        # ops/review.py: main took INS-0017 for another document
        "id-collision": "insights/INS-0017-queue-position-reads-as-a-promise.md",
    },
}


# -- the cases --------------------------------------------------------------------------------


@dataclass
class Case:
    """One invocation. ``args`` may hold {BASE}, {HOME} and {FIRST} (northwind's first commit),
    filled in when it runs; the recording keeps the placeholders."""

    name: str  # unique within its base: the file name of its recording
    args: list[str]
    edits: bool = False  # runs on the restored copy; records the tree afterwards
    cwd: str = ""  # relative to the base, or "{HOME}"
    env: dict[str, str | None] = field(default_factory=dict)  # None removes a variable
    prepare: Callable[[Path], None] | None = None  # changes the copy before the command
    tree: bool = True  # with edits: record git status and diff afterwards

    def describe(self) -> str:
        notes = [f"[cwd {self.cwd}]"] if self.cwd else []
        notes += [f"[{k}={v}]" if v is not None else f"[no {k}]" for k, v in self.env.items()]
        if self.prepare is not None:
            notes.append(f"[prepared: {(self.prepare.__doc__ or '').splitlines()[0]}]")
        return " ".join([*notes, "cxlib", shlex.join(self.args)]).rstrip()


class Cases(list[Case]):
    """``add("name", "the command line")``: the line is split like a shell would."""

    def add(self, name: str, command: str, **kw: Any) -> None:
        self.append(Case(name, shlex.split(command), **kw))

    def edit(self, name: str, command: str, **kw: Any) -> None:
        self.add(name, command, edits=True, **kw)


def edited(rel: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    """A ``prepare`` step: replace ``old`` by ``new`` in one file of the copy."""

    def prepare(root: Path) -> None:
        path = root / rel
        raw = path.read_bytes()
        if old not in raw:
            sys.exit(f"error: {rel}: {old!r} not found")
        path.write_bytes(raw.replace(old, new, 1))

    prepare.__doc__ = f"{rel}: {old!r} -> {new!r}"
    return prepare


REPORTS = ("roadmap", "experiments", "journey", "metrics", "health")
NW_EXP3 = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"
NW_INS2 = "insights/INS-0002-shipping-costs-surface-too-late.md"
NW_OPP1 = "opportunities/OPP-0001-make-shipping-costs-predictable-before-checkout.md"
NW_EXP1 = "experiments/EXP-0001-layering-guide-in-the-welcome-series.md"
# $EDITOR for the learnings cases: appends a line to the file it is given.
APPENDING_EDITOR = 'sh -c \'echo "Queue callbacks need staffing first." >> "$1"\' sh'


def northwind_reading_cases() -> Cases:
    """Commands that only read, in order on the base itself."""
    c = Cases()
    # start-up, help and the global options
    c.add("version", "--version")
    c.add("help", "--help")
    c.add("no-arguments", "")
    c.add("unknown-command", "frobnicate")
    for command in ("validate", "report", "review", "search", "status"):
        c.add(f"help-{command}", f"{command} --help")
    c.add("no-knowledge-base", "list", cwd="{HOME}")
    c.add("root-option", "-C {BASE}/insights list insights", cwd="{HOME}")
    c.add("today-option", "--today 2025-12-31 report experiments")
    c.add("today-invalid", "--today 31.12.2025 list")
    c.add("color-always", "--color always list opportunities", env={"NO_COLOR": None})
    c.add("color-never-force", "--color never list insights", env={"FORCE_COLOR": "1"})

    # validate
    for fmt in ("text", "json", "github"):
        c.add(f"validate-{fmt}", f"validate --format {fmt}")
    c.add("validate-default-format", "validate")
    c.add("validate-strict", "validate --strict")
    c.add("validate-no-cache", "validate --no-cache --format json")
    c.add("validate-one-file", f"validate {NW_EXP3}")
    c.add("validate-one-file-json", f"validate --format json {NW_EXP3}")
    c.add("validate-two-files-and-config", f"validate {NW_EXP3} {NW_INS2} cxlib.toml")
    c.add("validate-not-documents", "validate .gitignore insights/INS-0999-missing.md")
    c.add("validate-from-subfolder", f"validate {NW_INS2.split('/')[1]}", cwd="insights")
    c.add("validate-env-format", "validate", env={"CXLIB_OUTPUT_FORMAT": "json"})
    c.add("validate-github-actions", "validate", env={"GITHUB_ACTIONS": "true"})
    c.add("validate-bad-format", "validate --format xml")

    # schema (there is no config schema: 'config' is refused)
    for kind in ("insight", "opportunity", "experiment", "experiments", "config"):
        c.add(f"schema-{kind}", f"schema {kind}")

    # list
    c.add("list", "list")
    c.add("list-json", "list --format json")
    c.add("list-csv", "list --format csv")
    c.add("list-insights", "list insights")
    c.add("list-opportunities-json", "list opportunity --format json")
    c.add("list-experiments-concluded", "list experiments --status concluded")
    c.add("list-stage-csv", "list --stage purchase --format csv")
    c.add("list-owner", "list --owner Jonas")
    c.add("list-tag-json", "list --tag shipping --format json")
    c.add("list-no-match", "list experiments --status won")
    c.add("list-unknown-kind", "list ideas")

    # show
    for doc_id in ("INS-0002", "OPP-0001", "EXP-0003", "INS-0017"):
        c.add(f"show-{doc_id}", f"show {doc_id}")
        c.add(f"show-{doc_id}-json", f"show {doc_id} --format json")
    c.add("show-lowercase", "show exp-0019")
    c.add("show-unknown", "show EXP-0999")
    c.add("show-invalid-id", "show shipping")

    # graph
    for fmt in ("tree", "mermaid", "dot", "json"):
        c.add(f"graph-{fmt}", f"graph --format {fmt}")
        c.add(f"graph-EXP-0003-{fmt}", f"graph EXP-0003 --format {fmt}")
    c.add("graph-depth-1", "graph --depth 1")
    c.add("graph-INS-0002-depth-1-json", "graph INS-0002 --depth 1 --format json")
    c.add("graph-unknown", "graph OPP-0999")

    # index, search, similar (search and similar bring the index up to date themselves)
    c.add("index", "index")
    c.add("index-unchanged-json", "index --format json")
    c.add("search", "search shipping")
    c.add("search-phrase", "search '\"free shipping\"'")
    c.add("search-fielded", "search kind:experiment outcome:lost")
    c.add(
        "search-boolean-json",
        "search 'status:validated AND (stage:purchase OR stage:deliver)' --format json",
    )
    c.add("search-dates", "search 'created:[2025-01-01 TO 2025-06-30]' --limit 5")
    c.add("search-kind-limit-json", "search delivery --kind insight --limit 3 --format json")
    c.add("search-prefix", "search 'check*'")
    c.add("search-no-match", "search zeppelin")
    c.add("search-bad-date", "search 'created:>someday'")
    c.add("search-empty-query", "search '('")
    c.add("similar-json", "similar EXP-0003 --format json")
    c.add("similar-table", "similar INS-0002 --limit 3")
    c.add("similar-unknown", "similar EXP-0999")
    c.add("index-rebuild-json", "index --rebuild --format json")
    c.add("search-after-rebuild-json", "search chat --format json")

    # log
    c.add("log", "log")
    c.add("log-json", "log --format json")
    for doc_id in ("EXP-0022", "OPP-0003", "INS-0017"):
        c.add(f"log-{doc_id}", f"log {doc_id}")
        c.add(f"log-{doc_id}-json", f"log {doc_id} --format json")
    c.add("log-unknown", "log INS-0999")

    # reports
    for report in REPORTS:
        for fmt in ("table", "markdown", "json", "csv"):
            c.add(f"report-{report}-{fmt}", f"report {report} --format {fmt}")
    c.add("report-experiments-since", "report experiments --since 2026-01-01")
    c.add("report-experiments-team-json", "report experiments --team checkout --format json")
    c.add("report-experiments-bad-since", "report experiments --since 'last year'")
    c.add("report-journey-touchpoints", "report journey --touchpoints")
    c.add("report-journey-touchpoints-csv", "report journey --touchpoints --format csv")
    c.add("report-html-stdout", "report html -o -")
    c.add("report-unknown", "report velocity")

    # review: the working tree (branch 'change') against the first commit, and against main,
    # which took the id INS-0017 for another document
    for fmt in ("markdown", "json", "text"):
        c.add(f"review-first-{fmt}", f"review --base first --format {fmt}")
        c.add(f"review-main-{fmt}", f"review --base main --format {fmt}")
    c.add("review-commit-ids", "review --base {FIRST} --head change --format text")
    c.add("review-head-first", "review --base main --head first --format text")
    c.add("review-nothing", "review --base change --format text")
    c.add("review-default-base", "review --format text")
    c.add("review-max-bytes", "review --base first --max-bytes 1024")
    c.add("review-unknown-base", "review --base origin/nowhere")
    return c


def northwind_editing_cases() -> Cases:
    """Commands that write, or refuse to: each on a freshly restored copy."""
    c = Cases()
    # link
    c.edit("link-dry-run", "link OPP-0009 INS-0002 --dry-run")
    c.edit("link-dry-run-json", "link OPP-0009 INS-0002 --dry-run --format json")
    c.edit("link", "link EXP-0022 INS-0009")
    c.edit("link-json", "link EXP-0021 EXP-0018 --format json")
    c.edit("link-counter-evidence", "link INS-0002 EXP-0019 --rel contradicts")
    c.edit("link-already-linked", "link OPP-0003 INS-0004")
    c.edit("link-self", "link EXP-0003 EXP-0003")
    c.edit("link-unknown-target", "link EXP-0003 INS-0999")
    c.edit("link-unknown-source", "link EXP-0999 INS-0002")
    c.edit("link-invalid-id", "link EXP3 INS-0002")
    c.edit("link-stored-on-the-other", "link INS-0002 OPP-0001")
    c.edit("link-no-relation", "link INS-0002 INS-0003")
    c.edit("link-bad-rel", "link INS-0002 EXP-0003 --rel follows")
    c.edit("link-single-field-taken", "link EXP-0003 OPP-0002")
    conflict = edited(NW_OPP1, b"## What\n", b"<<<<<<< HEAD\n## What\n=======\n>>>>>>> x\n")
    c.edit("link-unreadable-source", "link OPP-0001 INS-0003", prepare=conflict)
    # unlink
    c.edit("unlink-dry-run", "unlink OPP-0001 INS-0007 --dry-run")
    c.edit("unlink", "unlink EXP-0003 OPP-0001")
    c.edit("unlink-json", "unlink EXP-0019 EXP-0003 --format json")
    c.edit("unlink-rel", "unlink INS-0010 EXP-0014 --rel counter_evidence")
    c.edit("unlink-not-linked", "unlink OPP-0001 INS-0003")
    c.edit("unlink-self", "unlink OPP-0001 OPP-0001")
    c.edit("unlink-unknown", "unlink OPP-0001 INS-0999")
    c.edit("unlink-bad-rel", "unlink EXP-0019 EXP-0003 --rel insights")
    # set
    c.edit("set-dry-run", "set OPP-0001 effort=3 --dry-run")
    c.edit("set-dry-run-json", "set OPP-0001 effort=3 reach=1000 --dry-run --format json")
    c.edit("set", "set OPP-0001 customer_value=5 'tags=[shipping, cart]'")
    c.edit("set-nested", "set EXP-0003 result.effect=-1.3 --dry-run")
    c.edit("set-new-keys", "set INS-0016 type=barrier confidence=medium --dry-run")
    c.edit("set-same-value", "set OPP-0001 effort=2")
    c.edit("set-unknown-field", "set OPP-0001 colour=blue")
    c.edit("set-id", "set OPP-0001 id=OPP-0099")
    c.edit("set-nested-unknown", "set EXP-0003 result.colour=blue")
    c.edit("set-nested-wrong-kind", "set OPP-0001 result.outcome=won")
    c.edit("set-bad-key", "set OPP-0001 Effort=3")
    c.edit("set-unreadable-value", "set OPP-0001 'title=[unclosed'")
    c.edit("set-mapping-value", "set OPP-0001 'title={a: 1}'")
    c.edit("set-status-final", "set OPP-0003 status=idea")
    c.edit("set-status-unknown", "set OPP-0001 status=done")
    c.edit("set-breaks-metric", "set EXP-0003 primary_metric=happiness")
    c.edit("set-breaks-schema", "set OPP-0001 effort=9")
    c.edit("set-breaks-lifecycle", "set OPP-0001 owner=")
    c.edit("set-nothing", "set OPP-0001")
    c.edit("set-unknown-id", "set OPP-0999 effort=1")
    # status
    c.edit(
        "status-dry-run",
        "status EXP-0007 concluded --outcome lost --decision iterate"
        " --learnings 'Callbacks need staffing.' --dry-run",
    )
    c.edit("status-dry-run-json", "status EXP-0007 abandoned --dry-run --format json")
    c.edit("status", "status INS-0016 validated")
    with_origin = edited(NW_EXP1, b"status: draft\n", b"status: draft\ninsights: [INS-0014]\n")
    c.edit("status-planned", "status EXP-0001 planned --dry-run", prepare=with_origin)
    c.edit("status-already", "status EXP-0003 concluded")
    c.edit("status-not-allowed", "status EXP-0001 running")
    c.edit("status-final", "status EXP-0017 running")
    c.edit("status-backwards", "status EXP-0003 draft")
    c.edit("status-unknown", "status EXP-0003 finished")
    c.edit("status-breaks-origin", "status EXP-0001 planned")
    c.edit("status-breaks-outcome", "status EXP-0007 concluded")
    c.edit("status-options-on-insight", "status INS-0016 validated --outcome won")
    c.edit("status-bad-outcome", "status EXP-0007 concluded --outcome maybe")
    c.edit("status-bad-decision", "status EXP-0007 concluded --outcome won --decision later")
    c.edit("status-bad-date", "status EXP-0007 concluded --end tomorrow")
    c.edit("status-empty-learnings", "status EXP-0007 concluded --outcome won --learnings '  '")
    c.edit(
        "status-both-learnings", "status EXP-0007 concluded --learnings x --learnings-from-editor"
    )
    editor = "status EXP-0007 concluded --outcome lost --learnings-from-editor"
    c.edit("status-editor", f"{editor} --dry-run", env={"EDITOR": APPENDING_EDITOR})
    c.edit("status-editor-wrote-nothing", editor, env={"EDITOR": "true"})
    c.edit("status-editor-failed", editor, env={"EDITOR": "false"})
    # renumber
    c.edit("renumber-dry-run", "renumber EXP-0003 --dry-run")
    c.edit("renumber-dry-run-json", "renumber INS-0007 INS-0100 --dry-run --format json")
    c.edit("renumber", "renumber INS-0007 INS-0100")
    c.edit("renumber-by-path", f"renumber {NW_EXP3} EXP-0050 --dry-run")
    c.edit("renumber-same-id", "renumber EXP-0003 EXP-0003")
    c.edit("renumber-taken", "renumber EXP-0003 EXP-0019")
    c.edit("renumber-wrong-prefix", "renumber EXP-0003 OPP-0050")
    c.edit("renumber-unknown", "renumber EXP-0999")
    c.edit("renumber-not-a-document", "renumber cxlib.toml")
    # new, init, and the file report html writes
    c.edit(
        "new-insight-json",
        "new insight 'Chat users want a transcript' --stage support --no-input --format json",
    )
    c.edit(
        "new-experiment",
        "new experiment 'Transcript by e-mail' --link OPP-0001"
        " --link INS-0008 --set primary_metric=nps --no-input",
    )
    c.edit("new-unknown-kind", "new idea Something --no-input")
    c.edit("new-unknown-link", "new experiment Something --link OPP-0999 --no-input")
    c.edit("new-unknown-stage", "new insight Something --stage nowhere --no-input")
    c.edit("new-unknown-field", "new insight Something --set colour=blue --no-input")
    c.edit("init-existing", "init")
    c.edit("init-new-folder", "init fresh-library")
    c.edit("report-html-file", "report html -o report.html")
    c.edit("report-html-refuses-overwrite", "report html -o cxlib.toml")
    return c


def every_rule_reading_cases() -> Cases:
    c = Cases()
    for fmt in ("text", "json", "github"):
        c.add(f"validate-{fmt}", f"validate --format {fmt}")
    c.add("validate-strict-json", "validate --strict --format json")
    c.add("validate-no-cache", "validate --no-cache")
    c.add("validate-one-file", "validate insights/INS-0010-bad-links.md")
    c.add("validate-parse-problem", "validate insights/INS-0028-yaml-syntax.md")
    c.add("validate-duplicate-json", "validate experiments/EXP-0008-second-of-two.md -f json")
    c.add("list", "list")
    c.add("list-json", "list --format json")
    c.add("list-insights-csv", "list insights --format csv")
    for doc_id in ("INS-0001", "EXP-0008", "INS-0028", "EXP-0010", "EXP-0009", "OPP-0040"):
        c.add(f"show-{doc_id}", f"show {doc_id}")
    c.add("show-OPP-0011-json", "show OPP-0011 --format json")
    c.add("graph", "graph")
    c.add("graph-json", "graph --format json")
    c.add("graph-INS-0010-mermaid", "graph INS-0010 --format mermaid")
    for report in REPORTS:
        for fmt in ("table", "json"):
            c.add(f"report-{report}-{fmt}", f"report {report} --format {fmt}")
    c.add("report-html-stdout", "report html -o -")
    c.add("index-json", "index --format json")
    c.add("search", "search fees")
    c.add("similar-json", "similar EXP-0001 --format json")
    c.add("log", "log")
    c.add("log-EXP-0001-json", "log EXP-0001 --format json")
    c.add("log-INS-0028", "log INS-0028")
    c.add("review-head", "review --base HEAD --format text")
    return c


def every_rule_editing_cases() -> Cases:
    c = Cases()
    c.edit(
        "validate-unreadable-folder",
        "validate --format json",
        prepare=make_unreadable_folder,
        tree=False,
    )
    retitled = edited("insights/INS-0002-delivery-dates-matter.md", b"Insight 2", b"Two")
    c.edit("review-edited-json", "review --base HEAD --format json", prepare=retitled)
    c.edit("set-parse-problem", "set INS-0028 status=validated")
    c.edit("link-merge-conflict", "link EXP-0039 OPP-0001")
    c.edit("set-file-too-large", "set INS-0027 owner=Bo")
    c.edit("set-duplicate-id", "set EXP-0008 owner=Bo")
    c.edit("set-id-mismatch", "set EXP-0009 owner=Bo")
    c.edit("set-symlink", "set OPP-0040 owner=Bo")
    c.edit("set-keeps-old-problems", "set EXP-0004 owner=Bo --dry-run")
    c.edit("link-commented-list", "link OPP-0004 INS-0003")
    c.edit("unlink-broken-link", "unlink INS-0010 EXP-0099 --dry-run")
    c.edit("status-with-old-problems", "status EXP-0004 abandoned --dry-run")
    c.edit("renumber-shared-id", "renumber EXP-0008")
    c.edit("renumber-shared-by-path", "renumber experiments/EXP-0008-second-of-two.md --dry-run")
    c.edit("renumber-mentioned-by-broken-file", "renumber EXP-0001 --dry-run")
    c.edit("new-next-id-json", "new experiment 'After the gaps' --no-input --format json")
    return c


# -- running ----------------------------------------------------------------------------------


@dataclass
class Lane:
    """Cases that must run one after another, in one folder; lanes run side by side."""

    base: str  # the recording's sub-folder
    root: Path
    cases: Cases
    edits: bool  # restore the folder before each case


class Normaliser:
    """Replaces the run's temporary paths by placeholders (longest first, so the base's path
    wins over the temporary folder that holds it)."""

    def __init__(self, tmp: Path, root: Path) -> None:
        pairs: dict[bytes, bytes] = {}
        for path, token in ((root, "<BASE>"), (tmp / "home", "<HOME>"), (tmp, "<TMP>")):
            for spelling in (str(path), os.path.realpath(path)):
                pairs.setdefault(spelling.encode(), token.encode())
        self.pairs = sorted(pairs.items(), key=lambda p: -len(p[0]))

    def __call__(self, data: bytes) -> bytes:
        for old, new in self.pairs:
            data = data.replace(old, new)
        return data


def restore(root: Path, env: dict[str, str]) -> None:
    """Back to the last commit: edits undone, new files and the cache (.cxlib/) removed."""
    deep = root / "insights" / DEEP_DIR
    if deep.exists():
        shutil.rmtree(deep)  # descriptor-based on Linux, so the over-long path is no problem
    git(root, env, "reset", "-q", "--hard")
    git(root, env, "clean", "-q", "-f", "-d", "-x")
    freeze_mtimes(root)


def tree_state(root: Path, env: dict[str, str]) -> bytes:
    """What a command changed: git status, then the diff with new files' contents."""
    status = git(root, env, "status", "--porcelain", "--untracked-files=all")
    git(root, env, "add", "--intent-to-add", "--all")
    return (status + "\n" + git(root, env, "diff")).encode("utf-8", "surrogateescape")


def run_case(
    case: Case, root: Path, env: dict[str, str], values: dict[str, str]
) -> tuple[bytes, bytes, str]:
    case_env = dict(env)
    for key, value in case.env.items():
        if value is None:
            case_env.pop(key, None)
        else:
            case_env[key] = value
    args = [fill(a, values) for a in case.args]
    cwd = Path(env["HOME"]) if case.cwd == "{HOME}" else root / case.cwd
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cxlib", *args],
            cwd=cwd,
            env=case_env,
            stdin=subprocess.DEVNULL,  # nothing may wait for input
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        return e.stdout or b"", e.stderr or b"", "timeout"
    return done.stdout, done.stderr, str(done.returncode)


def fill(arg: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        arg = arg.replace("{" + key + "}", value)
    return arg


def run_lane(lane: Lane, out_dir: Path, tmp: Path, env: dict[str, str], first: str) -> None:
    target = out_dir / lane.base
    normalise = Normaliser(tmp, lane.root)
    values = {"BASE": str(lane.root), "HOME": env["HOME"], "FIRST": first}
    for case in lane.cases:
        if lane.edits:
            restore(lane.root, env)
        if case.prepare is not None:
            case.prepare(lane.root)
            freeze_mtimes(lane.root)
        out, err, rc = run_case(case, lane.root, env, values)
        (target / f"{case.name}.out").write_bytes(normalise(out))
        (target / f"{case.name}.err").write_bytes(normalise(err))
        (target / f"{case.name}.rc").write_text(rc + "\n", encoding="utf-8")
        if lane.edits and case.tree:
            (target / f"{case.name}.tree").write_bytes(normalise(tree_state(lane.root, env)))
    if lane.edits:
        restore(lane.root, env)


# -- the code check ---------------------------------------------------------------------------


def _findings(data: Any) -> Iterator[tuple[str, str]]:
    """(code, path) of every finding-like object anywhere in a JSON document."""
    if isinstance(data, dict):
        if isinstance(data.get("code"), str) and isinstance(data.get("path"), str):
            yield data["code"], data["path"]
        for value in data.values():
            yield from _findings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _findings(value)


def check_codes(out_dir: Path, lanes: list[Lane]) -> list[str]:
    """Warnings: an expected code that no validate/review JSON output shows on its file, and a
    code that fired but that EXPECTED_CODES does not know (a new rule wants a fixture)."""
    fired: dict[str, set[tuple[str, str]]] = {}
    for lane in lanes:
        for case in lane.cases:
            if case.args[:1] not in (["validate"], ["review"]) or "json" not in case.args:
                continue
            raw = (out_dir / lane.base / f"{case.name}.out").read_text(encoding="utf-8")
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            fired.setdefault(lane.base, set()).update(_findings(data))
    known = {code for codes in EXPECTED_CODES.values() for code in codes}
    warnings = []
    for base, expected in EXPECTED_CODES.items():
        seen = fired.get(base, set())
        missing = [
            code
            for code, path in expected.items()
            if not any(c == code and p.startswith(path) for c, p in seen)
        ]
        if missing:
            warnings.append(
                f"{base}: codes that did not fire on their file (see EXPECTED_CODES): "
                + ", ".join(missing)
            )
        unknown = sorted({c for c, _ in seen} - known)
        if unknown:
            warnings.append(f"{base}: codes not listed in EXPECTED_CODES: {', '.join(unknown)}")
    return warnings


# -- record and compare -----------------------------------------------------------------------


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / "index.txt").is_file():
            sys.exit(f"error: {out_dir} is not empty and holds no recording; not touching it")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def record(out_dir: Path, jobs: int) -> int:
    started = time.perf_counter()
    _prepare_out_dir(out_dir)
    with tempfile.TemporaryDirectory(prefix="cxlib-behaviour-") as name:
        tmp = Path(name)
        make_home(tmp)
        env = isolated_env(tmp)
        northwind, every_rule = tmp / "northwind", tmp / "every-rule"
        build_northwind(northwind, env)
        build_every_rule(every_rule, env)
        first = git(northwind, env, "rev-parse", "first").strip()
        # The editing copies are made before any command has run (and written a cache).
        for root in (northwind, every_rule):
            shutil.copytree(root, root.with_name(root.name + "-edits"), symlinks=True)
        lanes = [
            Lane("northwind", northwind, northwind_reading_cases(), edits=False),
            Lane("northwind", tmp / "northwind-edits", northwind_editing_cases(), edits=True),
            Lane("every-rule", every_rule, every_rule_reading_cases(), edits=False),
            Lane("every-rule", tmp / "every-rule-edits", every_rule_editing_cases(), edits=True),
        ]
        index = []
        for lane in lanes:
            (out_dir / lane.base).mkdir(exist_ok=True)
            for case in lane.cases:
                index.append(f"{lane.base}/{case.name}\t{case.describe()}")
        names = [line.split("\t")[0] for line in index]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            sys.exit(f"error: case names used twice: {', '.join(duplicates)}")
        (out_dir / "index.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
        # Longest lanes first, so two workers finish at about the same time.
        ordered = sorted(lanes, key=lambda lane: -len(lane.cases))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for future in [pool.submit(run_lane, x, out_dir, tmp, env, first) for x in ordered]:
                future.result()
    warnings = check_codes(out_dir, lanes)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    counts = ", ".join(
        f"{base} {sum(len(x.cases) for x in lanes if x.base == base)}"
        for base in dict.fromkeys(x.base for x in lanes)
    )
    print(
        f"recorded {len(index)} cases ({counts}) in {out_dir} in "
        f"{time.perf_counter() - started:.1f} s, {len(warnings)} warning(s)"
    )
    return 0


def _read_index(folder: Path) -> dict[str, str]:
    try:
        lines = (folder / "index.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        sys.stderr.write(f"error: {folder} holds no recording (no index.txt)\n")
        raise SystemExit(2) from None
    return dict(line.split("\t", 1) for line in lines if line)


def _diff(a: bytes | None, b: bytes | None, label_a: str, label_b: str) -> list[str]:
    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else data.decode("utf-8", "replace").splitlines(keepends=True)

    out = list(difflib.unified_diff(lines(a), lines(b), label_a, label_b, n=2))
    out = [line if line.endswith("\n") else line + "\n" for line in out]
    if a is None or b is None:
        out.insert(0, f"(missing: {label_a if a is None else label_b})\n")
    elif not out:
        out = ["(the files differ in bytes that decode alike)\n"]
    return out


def compare(dir_a: Path, dir_b: Path) -> int:
    index_a, index_b = _read_index(dir_a), _read_index(dir_b)
    names = list(index_a) + [n for n in index_b if n not in index_a]
    different = 0
    for name in names:
        report: list[str] = []
        parts: list[str] = []
        if name not in index_a or name not in index_b:
            parts.append(f"only in {dir_a if name in index_a else dir_b}")
        elif index_a[name] != index_b[name]:
            parts.append("command")
            report.append(f"command A: {index_a[name]}\ncommand B: {index_b[name]}\n")
        for suffix, part in RESULT_FILES.items():
            path_a, path_b = dir_a / f"{name}{suffix}", dir_b / f"{name}{suffix}"
            a = path_a.read_bytes() if path_a.is_file() else None
            b = path_b.read_bytes() if path_b.is_file() else None
            if a != b:
                parts.append(part)
                report += _diff(a, b, str(path_a), str(path_b))
        if not parts:
            continue
        different += 1
        if len(report) > DIFF_LINES:
            report = [*report[:DIFF_LINES], f"... {len(report) - DIFF_LINES} more lines\n"]
        command = index_a.get(name) or index_b.get(name)
        sys.stdout.write(f"=== {name}: {', '.join(parts)} differ  ({command})\n")
        sys.stdout.writelines(report)
    print(f"{len(names)} cases: {len(names) - different} identical, {different} different")
    return 0 if different == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Record the cxlib CLI's outputs for a fixed list of cases, or compare two "
        "recordings (see the module docstring)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="run every case and write the outputs to OUT_DIR")
    rec.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    rec.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="lanes run side by side (default: 2, or 1 on one CPU); the output does not change",
    )
    cmp = sub.add_parser("compare", help="compare two recordings; exit 1 when they differ")
    cmp.add_argument("dir_a", type=Path, metavar="DIR_A")
    cmp.add_argument("dir_b", type=Path, metavar="DIR_B")
    args = parser.parse_args(argv)
    if args.command == "record":
        return record(args.out_dir, args.jobs)
    try:
        return compare(args.dir_a, args.dir_b)
    except BrokenPipeError:  # compare ... | head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""Every question cxlib asks git, answered as plain Python values.

The only module that imports GitPython (imported lazily: it costs ~0.1 s, and commands such as
``validate`` never need git). User strings never reach git as options: paths follow ``--``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.errors import GitError, NotAGitRepositoryError, RefError

if TYPE_CHECKING:
    import git


def _translate(e: Exception, where: Path) -> GitError:
    text = str(getattr(e, "stderr", "") or e)
    if "dubious ownership" in text or "safe.directory" in text:
        return GitError(
            f"git refuses this repository (safe.directory): {where}",
            hint=f"run: git config --global --add safe.directory {where}",
        )
    return GitError(f"git failed in {where}: {text.strip()[:300]}")


@contextmanager
def _translated(where: Path) -> Iterator[None]:
    """GitPython's failures as cxlib's: the one place that says git is missing or refused."""
    import git

    try:
        yield
    except git.GitCommandNotFound as e:
        raise GitError("git is not installed or not on PATH") from e
    except git.GitCommandError as e:
        raise _translate(e, where) from e


@contextmanager
def repository(path: Path, bare_ok: bool = True) -> Iterator[Session | None]:
    """A :class:`Session` on the repository containing ``path`` (None when there is none, or
    when it is bare); its git processes end on exit. ``bare_ok=False``: a bare repository is
    an error."""
    import git

    with _translated(path):
        try:
            repo = git.Repo(path, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            repo = None
    if repo is None:
        yield None
        return
    try:
        if repo.bare or repo.working_tree_dir is None:
            if not bare_ok:
                raise NotAGitRepositoryError(f"{path}: a bare repository has no working tree")
            yield None
        else:
            yield Session(repo, path)
    finally:
        repo.close()


@contextmanager
def session(root: Path) -> Iterator[Session]:
    """A :class:`Session` on the repository holding ``root``, for the commands that read
    history: NotAGitRepositoryError outside one (or in a bare one), and a GitError naming
    safe.directory when git refuses the repository (GitPython opens it and fails later, with
    another message)."""
    with repository(root, bare_ok=False) as g:
        if g is None:
            raise NotAGitRepositoryError(
                f"not inside a git repository: {root}",
                hint="this command reads git history; run it in a clone of the knowledge base "
                "(the other commands work without git)",
            )
        yield g


_REV_PARSE = ("git",)
_HEAD_STATE = ("rev-parse", "--is-shallow-repository", "--verify", "-q", "HEAD^{commit}")


def head_state(path: Path) -> tuple[str | None, str | None]:
    """HEAD's commit for the repository holding ``path``, or None and why its history cannot be
    read (not a repository, no commits, a shallow clone, git refused or missing).

    One plain ``git rev-parse``, without GitPython: the pre-commit hook asks it on every run
    and loading GitPython alone costs it ~0.1 s.
    """
    import subprocess

    try:
        done = subprocess.run(
            [*_REV_PARSE, "-C", str(path), *_HEAD_STATE],
            capture_output=True,
            check=False,
        )
    except OSError:
        return None, "git is not installed"
    lines = done.stdout.decode("ascii", "replace").split()
    if done.returncode == 128 or not lines:
        err = done.stderr.decode("utf-8", "replace")
        if "dubious ownership" in err or "safe.directory" in err:
            return None, "git refuses this repository (safe.directory)"
        return None, "not a git repository"
    if lines[0] == "true":
        return None, "a shallow clone: its history is cut (fetch it whole: git fetch --unshallow)"
    if done.returncode != 0 or len(lines) < 2:
        return None, "the repository has no commits yet"
    return lines[1], None


def plain(path: Path, *args: str, stdin: bytes | None = None) -> tuple[int, bytes]:
    """``git -C PATH --literal-pathspecs ARGS`` without GitPython, for the pre-commit hook's few
    calls (see :func:`head_state`): (status, stdout); git missing is a GitError."""
    import subprocess

    try:
        done = subprocess.run(
            [*_REV_PARSE, "-C", str(path), "--literal-pathspecs", *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except OSError as e:
        raise GitError("git is not installed or not on PATH") from e
    return done.returncode, done.stdout


def is_ancestor_plain(path: Path, older: str, newer: str) -> bool:
    status, _ = plain(path, "merge-base", "--is-ancestor", "--end-of-options", older, newer)
    return status == 0


def log_since(path: Path, since: str, paths: list[str]) -> list[Commit]:
    """The commits after ``since`` up to HEAD touching ``paths``, oldest first, with blob ids
    (renames found), without GitPython."""
    status, out = plain(
        path,
        "log",
        "-M",
        "--reverse",
        *_RAW_LOG,
        "--end-of-options",
        f"{since}..HEAD",
        "--",
        *paths,
    )
    return _parse_log(out.split(b"\0"), raw=True) if status == 0 else []


def read_blobs(path: Path, shas: list[str]) -> dict[str, bytes]:
    """Blobs by id, through one ``git cat-file --batch`` (missing ones are left out)."""
    if not shas:
        return {}
    _, out = plain(path, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in shas).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in shas:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3:
            continue  # "<sha> missing"
        size = int(header[2])
        blobs[sha] = out[pos : pos + size]
        pos += size + 1
    return blobs


def is_inside_repository(path: Path) -> bool:
    with repository(path) as g:
        return g is not None


def toplevel(path: Path) -> Path | None:
    """The working tree root of the repository containing ``path`` (None outside one)."""
    with repository(path) as g:
        return g.toplevel if g is not None else None


def init_repository(path: Path) -> None:
    import git

    with _translated(path):
        git.Repo.init(path).close()


def user_name(path: Path) -> str | None:
    """``git config user.name`` as seen from ``path`` (None when unset or outside a repo)."""
    with repository(path) as g:
        if g is None:
            return None
        try:
            status, out = g.run("config", "user.name", ok_codes=(0, 1))
        except GitError:
            return None
        return (_decode(out).strip() or None) if status == 0 else None


def file_names_on_refs(root: Path, folders: list[str]) -> set[str]:
    """Base names of every file under ``folders`` on every local branch and remote-tracking ref.

    So two people on two branches do not both take the next id. One ``ls-tree`` per distinct
    commit; refs that point to the same commit are read once.
    """
    with repository(root) as g:
        if g is None:
            return set()
        refs = g.text("for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes")
        names: set[str] = set()
        for sha in sorted(set(refs.split())):
            out = g.text("ls-tree", "-r", "--name-only", "-z", sha, "--", *folders)
            names.update(p.rsplit("/", 1)[-1] for p in out.split("\0") if p)
        return names


# -- history and review ------------------------------------------------------------------------
# Everything below runs plain git commands through one GitPython ``Repo`` per operation
# (``session``): one ``git log -z`` pass for the whole base instead of GitPython's per-commit
# objects, and blobs read through the ``Repo``'s one persistent ``cat-file --batch`` process.

NULL_SHA = "0" * 40
SHALLOW_HINT = "in CI: actions/checkout with fetch-depth: 0; locally: git fetch --unshallow"
# Ranges (``a..b``) and paths (``rev:path``) never name one commit; whitespace and control
# characters never occur in a ref. ``~``, ``^`` and ``@{...}`` are fine: git reads them.
_BAD_REF = re.compile(r"[\x00-\x20\x7f]|\.\.|:")
_STATUS = re.compile(r"^[ACDMRTUXB]\d*$")
_LOG_FORMAT = "%x1e%H%x00%aI%x00%an%x00%ae%x00%s"
# A log of commits with the files each changed (blob ids whole, paths relative to the base),
# NUL-separated: what _parse_log reads.
_RAW_LOG = ("-z", "--raw", "--no-abbrev", "--relative", "--no-ext-diff", f"--format={_LOG_FORMAT}")


@dataclass(frozen=True)
class Change:
    """One file changed between two trees. Paths are relative to the knowledge base root."""

    status: str  # A, M, D, R (renamed, possibly edited), T
    path: str  # the new path (the old one for D)
    old_path: str | None = None  # for R
    old_blob: str | None = None  # None when the file did not exist
    new_blob: str | None = None  # None when deleted, or when the working tree holds it


@dataclass
class Commit:
    sha: str
    date: str  # author date, ISO 8601 with the author's offset
    author: str
    email: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def check_ref(ref: str, what: str = "ref") -> str:
    """A ref a user typed, refused unless it can only be read as a revision (never an option)."""
    if not ref or ref.startswith("-"):
        raise RefError(
            f"invalid {what} {ref!r}: a ref cannot start with '-'"
            if ref
            else f"the {what} is empty",
            hint="give a branch, tag or commit, e.g. --base origin/main",
        )
    if _BAD_REF.search(ref):
        raise RefError(
            f"invalid {what} {ref!r}", hint="give a branch, tag or commit, e.g. origin/main"
        )
    return ref


def _decode(raw: bytes) -> str:
    # Paths are bytes to git; keep undecodable ones round-trippable to the filesystem.
    return raw.decode("utf-8", "surrogateescape")


class Session:
    """Git questions about one repository, asked from the knowledge base root."""

    def __init__(self, repo: git.Repo, root: Path) -> None:
        self.repo = repo
        self.root = root
        self.toplevel = Path(repo.working_dir)
        # The base's folder inside the repository ("" at the top), for ``<commit>:<path>``.
        self.prefix = root.resolve().relative_to(self.toplevel.resolve()).as_posix()
        if self.prefix == ".":
            self.prefix = ""

    # -- running git ---------------------------------------------------------------------------
    def run(self, *args: str, ok_codes: tuple[int, ...] = (0,)) -> tuple[int, bytes]:
        """Run ``git -C ROOT --literal-pathspecs ARGS`` and return (status, stdout): the one way
        cxlib runs git."""
        import git

        command = ["git", "-C", str(self.root), "--literal-pathspecs", *args]
        with _translated(self.root):
            status, out, err = self.repo.git.execute(
                command,
                with_extended_output=True,
                with_exceptions=False,
                stdout_as_string=False,
                strip_newline_in_stdout=False,
            )
            if status not in ok_codes:
                text = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
                raise git.GitCommandError(command, status, text)
        return status, out

    def text(self, *args: str) -> str:
        return _decode(self.run(*args)[1])

    # -- refs ------------------------------------------------------------------------------------
    def is_shallow(self) -> bool:
        return self.text("rev-parse", "--is-shallow-repository").strip() == "true"

    def head(self) -> str | None:
        """The commit HEAD points to (detached or not), or None in a repository with no commits."""
        status, out = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", ok_codes=(0, 1))
        return out.decode().strip() if status == 0 else None

    def try_commit(self, ref: str) -> str | None:
        check_ref(ref)
        status, out = self.run(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{ref}^{{commit}}",
            ok_codes=(0, 1),
        )
        return out.decode().strip() if status == 0 else None

    def commit(self, ref: str, what: str = "ref") -> str:
        """The commit a ref names, or a RefError that says why it is not there."""
        check_ref(ref, what)
        sha = self.try_commit(ref)
        if sha is not None:
            return sha
        if self.head() is None:
            raise RefError(
                "the repository has no commits yet",
                hint="commit the knowledge base first (git add -A && git commit)",
            )
        if self.is_shallow():
            raise RefError(
                f"{what} {ref} not available (shallow clone); use fetch-depth: 0",
                hint=SHALLOW_HINT,
            )
        raise RefError(
            f"{what} {ref} does not exist",
            hint=f"fetch it first (git fetch origin), or pass an existing branch, tag or commit"
            f" as --{what.split()[0]}",
        )

    def merge_base(self, a: str, b: str, names: tuple[str, str]) -> str:
        status, out = self.run("merge-base", "--end-of-options", a, b, ok_codes=(0, 1))
        if status == 0:
            return out.decode().split()[0]
        if self.is_shallow():
            raise RefError(
                f"no common history of {names[0]} and {names[1]} in this shallow clone; "
                "use fetch-depth: 0",
                hint=SHALLOW_HINT,
            )
        raise RefError(f"{names[0]} and {names[1]} have no common history")

    # -- trees -----------------------------------------------------------------------------------
    def diff(self, old: str, new: str | None, folders: list[str]) -> list[Change]:
        """Files changed under ``folders`` from commit ``old`` to commit ``new`` (renames found),
        or to the working tree when ``new`` is None (untracked files count as added)."""
        args = ["diff", "--raw", "-z", "-M", "--no-abbrev", "--relative", "--no-ext-diff"]
        args += ["--end-of-options", old] + ([new] if new else []) + ["--", *folders]
        changes = _parse_raw(self.run(*args)[1].split(b"\0"))
        if new is None:
            out = self.run("ls-files", "-z", "--others", "--exclude-standard", "--", *folders)[1]
            changes += [Change("A", _decode(p)) for p in out.split(b"\0") if p]
        return changes

    def tree(self, commit: str, folders: list[str]) -> dict[str, str]:
        """Every file under ``folders`` at ``commit``: path (relative to the root) -> blob."""
        out = self.run(
            "ls-tree", "-r", "-z", "--full-name", "--end-of-options", commit, "--", *folders
        )[1]
        files: dict[str, str] = {}
        cut = len(self.prefix) + 1 if self.prefix else 0
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            if kind == "blob" and mode in ("100644", "100755"):
                files[_decode(path)[cut:]] = sha
        return files

    def blob(self, sha: str) -> bytes:
        """A blob's bytes, through the ``Repo``'s persistent ``cat-file --batch`` process."""
        try:
            return bytes(self.repo.git.get_object_data(sha)[3])
        except ValueError as e:
            raise GitError(f"cannot read git object {sha}: {e}") from e

    def file_at(self, commit: str, rel: str) -> bytes | None:
        """A file of the base (e.g. ``cxlib.toml``) at a commit, or None when absent."""
        path = f"{self.prefix}/{rel}" if self.prefix else rel
        status, out = self.run(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{commit}:{path}",
            ok_codes=(0, 1),
        )
        return self.blob(out.decode().strip()) if status == 0 else None

    # -- history ---------------------------------------------------------------------------------
    def log(
        self, folders: list[str], since: str | None = None, blobs: bool = False
    ) -> list[Commit]:
        """Every commit touching ``folders``, oldest first, with its changed files: one pass.
        With ``since`` (a commit id), only the commits after it; with ``blobs``, each change
        carries its blob ids."""
        revisions = ["--end-of-options", f"{since}..HEAD"] if since else []
        listing = ["--raw", "--no-abbrev"] if blobs else ["--name-status"]
        out = self.run(
            "log",
            "-z",
            "-M",
            "--reverse",
            *listing,
            "--relative",
            "--no-ext-diff",
            f"--format={_LOG_FORMAT}",
            *revisions,
            "--",
            *folders,
        )[1]
        return _parse_log(out.split(b"\0"), raw=blobs)

    def is_ancestor(self, older: str, newer: str) -> bool:
        status, _ = self.run(
            "merge-base", "--is-ancestor", "--end-of-options", older, newer, ok_codes=(0, 1, 128)
        )
        return status == 0

    def file_log(self, rel: str) -> list[Commit]:
        """The commits touching one file, newest first, following renames, with blob ids.

        One path-limited ``git log`` per name the file had, rather than ``--follow``: a plain
        path-limited walk can use the commit-graph's changed-path filters, ``--follow`` cannot.
        Where the file first appears under a name, that commit's diff says whether it was
        renamed from another.
        """
        commits: list[Commit] = []
        path, until = rel, "HEAD"
        while True:
            out = self.run(
                "log",
                *_RAW_LOG,
                "--end-of-options",
                until,
                "--",
                path,
            )[1]
            found = _parse_log(out.split(b"\0"), raw=True)
            commits += found
            if not found or not found[-1].changes or found[-1].changes[0].status != "A":
                break
            oldest = found[-1]
            origin = self._renamed_from(oldest.sha, path)
            if origin is None:
                break
            added = oldest.changes[0]
            oldest.changes[0] = Change("R", path, origin, None, added.new_blob)
            path, until = origin, f"{oldest.sha}^"
        return commits

    def _renamed_from(self, sha: str, path: str) -> str | None:
        folder = path.rsplit("/", 1)[0] if "/" in path else "."
        out = self.run(
            "diff-tree",
            "-r",
            "-M",
            "--raw",
            "-z",
            "--no-abbrev",
            "--relative",
            "--root",
            "--no-commit-id",
            "--end-of-options",
            sha,
            "--",
            folder,
        )[1]
        for change in _parse_raw(out.split(b"\0")):
            if change.status == "R" and change.path == path:
                return change.old_path
        return None


def _parse_raw(tokens: list[bytes]) -> list[Change]:
    """``--raw -z`` records: ``:MODE MODE OLD NEW STATUS\\0PATH\\0[PATH\\0]``."""
    changes: list[Change] = []
    i = 0
    while i < len(tokens):
        head = tokens[i].lstrip(b"\n").decode("ascii", "replace")
        i += 1
        if not head.startswith(":"):
            continue
        _, _, old_sha, new_sha, status = head[1:].split(" ")
        first = _decode(tokens[i])
        i += 1
        second = None
        if status[0] in "RC":
            second = _decode(tokens[i])
            i += 1
        changes.append(
            Change(
                status=status[0],
                path=second if second is not None else first,
                old_path=first if second is not None else None,
                old_blob=None if old_sha == NULL_SHA else old_sha,
                new_blob=None if new_sha == NULL_SHA else new_sha,
            )
        )
    return changes


def _parse_log(tokens: list[bytes], raw: bool) -> list[Commit]:
    """Commits of ``git log -z --format=_LOG_FORMAT`` with ``--name-status`` or ``--raw``."""
    commits: list[Commit] = []
    i = 0
    current: Commit | None = None
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if token.startswith(b"\x1e"):
            fields = [_decode(t) for t in tokens[i : i + 5]]
            current = Commit(fields[0].lstrip("\n\x1e"), fields[1], fields[2], fields[3], fields[4])
            commits.append(current)
            i += 5
            continue
        if current is None or not token:
            i += 1
            continue
        if raw and token.startswith(b":"):
            n = 3 if token.split(b" ")[-1][:1] in (b"R", b"C") else 2
            current.changes += _parse_raw([token, *tokens[i + 1 : i + n]])
            i += n
            continue
        status = token.decode("ascii", "replace")
        if not _STATUS.match(status):
            i += 1
            continue
        if status[0] in "RC":
            current.changes.append(
                Change(status[0], _decode(tokens[i + 2]), old_path=_decode(tokens[i + 1]))
            )
            i += 3
        else:
            current.changes.append(Change(status[0], _decode(tokens[i + 1])))
            i += 2
    return commits

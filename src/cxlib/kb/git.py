"""Every question cxlib asks git, answered as plain Python values.

The only module that imports GitPython (imported lazily: it costs ~0.1 s, and commands such as
``validate`` never need git). User strings never reach git as options: paths follow ``--``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.errors import GitError

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
def repository(path: Path) -> Iterator[git.Repo | None]:
    """The repository containing ``path`` (None when there is none); closed on exit."""
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        yield None
        return
    except git.GitCommandNotFound as e:
        raise GitError("git is not installed or not on PATH") from e
    try:
        yield repo
    finally:
        repo.close()


def _run(repo: git.Repo, *args: str) -> str:
    import git

    try:
        return str(repo.git.execute(["git", *args], strip_newline_in_stdout=False))
    except git.GitCommandError as e:
        raise _translate(e, Path(repo.working_dir)) from e
    except git.GitCommandNotFound as e:
        raise GitError("git is not installed or not on PATH") from e


def is_inside_repository(path: Path) -> bool:
    with repository(path) as repo:
        return repo is not None


def init_repository(path: Path) -> None:
    import git

    try:
        git.Repo.init(path).close()
    except git.GitCommandNotFound as e:
        raise GitError("git is not installed or not on PATH") from e
    except git.GitCommandError as e:
        raise _translate(e, path) from e


def user_name(path: Path) -> str | None:
    """``git config user.name`` as seen from ``path`` (None when unset or outside a repo)."""
    import git

    with repository(path) as repo:
        if repo is None:
            return None
        try:
            name = str(repo.git.execute(["git", "config", "user.name"])).strip()
        except git.GitCommandError:
            return None
        return name or None


def file_names_on_refs(root: Path, folders: list[str]) -> set[str]:
    """Base names of every file under ``folders`` on every local branch and remote-tracking ref.

    So two people on two branches do not both take the next id. One ``ls-tree`` per distinct
    commit; refs that point to the same commit are read once.
    """
    with repository(root) as repo:
        if repo is None:
            return set()
        refs = _run(repo, "for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes")
        names: set[str] = set()
        for sha in sorted(set(refs.split())):
            out = _run(
                repo, "-C", str(root), "ls-tree", "-r", "--name-only", "-z", sha, "--", *folders
            )
            names.update(p.rsplit("/", 1)[-1] for p in out.split("\0") if p)
        return names


def tracked_files(root: Path, rel: str) -> list[str]:
    """Files git tracks under ``rel`` (relative to ``root``); [] outside a repository, without
    git, or when git refuses the repository.

    A plain ``git ls-files`` process rather than GitPython: it runs before every search, where
    importing GitPython would cost more than the whole answer.
    """
    import subprocess

    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--", rel], cwd=root, capture_output=True, check=False
        )
    except OSError:
        return []
    if done.returncode != 0:
        return []
    return [p for p in done.stdout.decode("utf-8", errors="replace").split("\0") if p]

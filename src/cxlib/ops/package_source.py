"""Where a CI job can install this same cxlib from: the pinned commit of the git repository it
was installed from, else its version from the package index (which may not have it: the
workflow says so in a comment, and ``init`` says it on stderr)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from cxlib import __version__


@dataclass(frozen=True)
class PackageSource:
    requirement: str  # what pip installs
    note: str  # said in the workflow beside it
    pinned: bool  # a commit of a repository, not a version an index may lack


def _by_version(why: str) -> PackageSource:
    return PackageSource(
        f"cxlib=={__version__}",
        f"{why}: cxlib {__version__} from the package index; if your index has no such "
        'release, set "cxlib @ git+https://<your cxlib repository>@<commit>".',
        False,
    )


def package_source() -> PackageSource:
    try:
        raw = metadata.distribution("cxlib").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return _by_version("cxlib is not installed as a package")
    if not raw:
        return _by_version("cxlib was installed from a package index")
    try:
        info = json.loads(raw)
        url = str(info["url"])
    except (ValueError, KeyError, TypeError):
        return _by_version("cxlib's install record cannot be read")
    vcs = info.get("vcs_info") if isinstance(info, dict) else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return _pinned(url, str(vcs["commit_id"]))
    if url.startswith("file:"):
        return _from_checkout(Path(unquote(urlparse(url).path)))
    return _by_version("cxlib was installed from an archive")


def _pinned(url: str, commit: str) -> PackageSource:
    return PackageSource(
        f"cxlib @ git+{url}@{commit}",
        "The repository and commit this cxlib was installed from.",
        True,
    )


def _from_checkout(folder: Path) -> PackageSource:
    """A local folder: its git repository's ``origin``, when that is a public URL, at the
    commit checked out."""
    from cxlib.errors import CxError
    from cxlib.kb import git

    try:
        with git.repository(folder) as g:
            if g is None:
                return _by_version("cxlib was installed from a local folder")
            _, out = g.run("remote", "get-url", "origin", ok_codes=(0, 2, 128))
            origin, commit = out.decode().strip(), g.head()
    except CxError:
        return _by_version("cxlib was installed from a local folder")
    if commit and origin.startswith("https://"):
        return _pinned(origin, commit)
    return _by_version("cxlib was installed from a local folder with no public origin")

"""Document templates: a knowledge base's own ``templates/`` folder overrides the packaged ones."""

from __future__ import annotations

import string
from importlib import resources
from pathlib import Path

from cxlib.errors import ConfigError
from cxlib.model.kinds import Kind

OVERRIDE_FOLDER = "templates"


def packaged_template_dir() -> Path:
    """The templates shipped in the wheel, or the repository's top-level ``templates/`` when
    running from a source checkout (an editable install does not copy them into the package)."""
    inside = Path(str(resources.files("cxlib"))) / "templates"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[3] / "templates"


def _override(root: Path, name: str) -> Path | None:
    override = root / OVERRIDE_FOLDER / name
    return override if override.is_file() and not override.is_symlink() else None


def template_source(root: Path, name: str) -> str:
    """Where the template ``name`` comes from, as messages name it."""
    if _override(root, name) is not None:
        return f"{OVERRIDE_FOLDER}/{name}"
    return f"the packaged template {name}"


def template_text(root: Path, name: str) -> str:
    override = _override(root, name)
    if override is not None:
        try:
            return override.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{OVERRIDE_FOLDER}/{name}: cannot read the template: {e}") from None
    return (packaged_template_dir() / name).read_text(encoding="utf-8")


def render(root: Path, kind: Kind, values: dict[str, str]) -> str:
    """Fill ``${name}`` placeholders; values must already be YAML-safe scalars."""
    return string.Template(template_text(root, f"{kind.value}.md")).safe_substitute(values)

"""``link`` and ``unlink`` change only the lines they must: byte-for-byte, through the real CLI.

Each case is a hand-written file with a layout people really write (comments, odd quoting, flow
and block lists, CRLF, a BOM, no final newline). Linking changes exactly the expected line(s);
unlinking again gives back the original bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx, snapshot

OPP = "opportunities/OPP-0100-hand-written.md"
INS = "insights/INS-0100-hand-written.md"


# The example documents these tests link to (a small library keeps each command fast).
NEEDED = ("INS-0001", "INS-0002", "INS-0003", "OPP-0003", "OPP-0004")
NEEDED += ("EXP-0003", "EXP-0012", "EXP-0014", "EXP-0019")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("links") / "northwind"
    target.mkdir()
    shutil.copy2(EXAMPLE / "cxlib.toml", target)
    for path in EXAMPLE.glob("*/*.md"):
        if path.name.startswith(NEEDED):
            (target / path.parent.name).mkdir(exist_ok=True)
            shutil.copy2(path, target / path.parent.name / path.name)
    return target


@pytest.fixture
def example(base: Path) -> Path:
    yield base
    for rel in (OPP, INS):
        (base / rel).unlink(missing_ok=True)


BODY = "\n## Why\n\nBecause.\n\n## What\n\nThis [[INS-0002]].\n\n## How\n\nCheaply.\n"

# (name, front-matter lines between the '---' lines, the line(s) expected after linking INS-0003)
OPPORTUNITIES = [
    (
        "block list, comments, odd quoting",
        """\
# A hand-written opportunity; keep this comment
id: OPP-0100
title: 'Make "shipping" costs predictable \u2013 before checkout'   # single-quoted
status: idea
owner: "Ana María"
created: 2025-01-10
tags: [ shipping,cart ]

insights:
  - INS-0001
  - "INS-0002"
customer_value: 4   # from the survey
hypothesis: >-
  If we show costs early,
  fewer people leave.
""",
        ("  - INS-0003",),
    ),
    (
        "flow list without spaces, comment after it",
        """\
id: OPP-0100
title: Flow list
status: idea
created: 2025-01-10
insights: [INS-0001,'INS-0002']  # two so far
kpis: [conversion-rate]
""",
        ("insights: [INS-0001,'INS-0002',INS-0003]  # two so far",),
    ),
    (
        "flow list with inner spaces",
        "id: OPP-0100\ntitle: Spaced\nstatus: idea\ncreated: 2025-01-10\ninsights: [ INS-0001 ]\n",
        ("insights: [ INS-0001, INS-0003 ]",),
    ),
    (
        "empty flow list",
        "id: OPP-0100\ntitle: Empty\nstatus: idea\ncreated: 2025-01-10\ninsights: []\nkpis: []\n",
        ("insights: [INS-0003]",),
    ),
    (
        "empty flow list with a space",
        "id: OPP-0100\ntitle: Empty\nstatus: idea\ncreated: 2025-01-10\ninsights: [ ]\n",
        ("insights: [ INS-0003]",),
    ),
    (
        "block list at column 0, blank line between items",
        "id: OPP-0100\ntitle: Col 0\nstatus: idea\ncreated: 2025-01-10\n"
        "insights:\n- INS-0001\n\n- INS-0002\nowner: Bo\n",
        ("- INS-0003",),
    ),
    (
        "block list indented 4 with a comment on the key line and after the list",
        "id: OPP-0100\ntitle: Deep\nstatus: idea\ncreated: 2025-01-10\n"
        "insights:   # what it rests on\n    -   INS-0001\n# the scores come later\n",
        ("    -   INS-0003",),
    ),
]


def _file(front: str, newline: str = "\n", bom: bool = False, final_newline: bool = True) -> bytes:
    text = "---\n" + front + "---\n" + BODY
    if not final_newline:
        text = text.rstrip("\n")
    data = text.replace("\n", newline).encode()
    return (b"\xef\xbb\xbf" if bom else b"") + data


def run(example: Path, verb: str, *args: str, cli: bool = True) -> str:
    """The command through the real CLI, or (to keep the matrix fast) its operation directly."""
    if cli:
        result = cx("-C", example, verb, *args, "--no-touch")  # byte-exact: 'updated:' stays
        assert result.exit_code == 0, result.output
        return result.stdout
    from cxlib.kb.store import KnowledgeBase
    from cxlib.ops.link import link_documents
    from cxlib.ops.unlink import unlink_documents

    operation = link_documents if verb == "link" else unlink_documents
    return operation(KnowledgeBase.open(example), *args).message


VARIANTS = {
    "lf": {},
    "crlf": {"newline": "\r\n"},
    "bom+crlf": {"newline": "\r\n", "bom": True},
    "bom, no final newline": {"bom": True, "final_newline": False},
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name, front, added", OPPORTUNITIES, ids=[c[0] for c in OPPORTUNITIES])
def test_link_then_unlink_is_byte_exact(
    example: Path, name: str, front: str, added: tuple[str, ...], variant: str
) -> None:
    options = VARIANTS[variant]
    original = _file(front, **options)  # type: ignore[arg-type]
    path = example / OPP
    path.write_bytes(original)
    path.chmod(0o640)
    others = snapshot(example)

    cli = variant == "lf"  # the other line-ending variants call the operation directly
    message = run(example, "link", "OPP-0100", "INS-0003", cli=cli)
    assert "linked OPP-0100 -> INS-0003 in 'insights'" in message
    linked = path.read_bytes()
    newline = options.get("newline", "\n")
    before_lines = original.split(b"\n")
    after_lines = linked.split(b"\n")
    # Exactly the expected lines were added or changed, in the file's own line ending.
    changed = [x for x in after_lines if x not in before_lines]
    assert [x.decode().rstrip("\r") for x in changed] == list(added)
    assert all(x.endswith(b"\r") == (newline == "\r\n") for x in changed)
    assert linked.startswith(b"\xef\xbb\xbf") == bool(options.get("bom"))
    assert linked.endswith(original[-12:])  # the body's end, final newline or not
    assert (path.stat().st_mode & 0o777) == 0o640
    again = run(example, "link", "OPP-0100", "INS-0003", cli=cli)
    assert "already lists INS-0003" in again
    assert path.read_bytes() == linked

    run(example, "unlink", "OPP-0100", "INS-0003", cli=cli)
    assert path.read_bytes() == original
    assert snapshot(example) == others  # no other file touched, no temporary file left


@pytest.mark.parametrize("variant", VARIANTS)
def test_insight_evidence_and_counter_evidence_round_trip(example: Path, variant: str) -> None:
    front = """\
id: INS-0100
title: "Evidence: mixed"
status: draft
created: 2025-01-10
source: experiment
evidence:
  - "https://example.com/survey?q=1#top"
  - EXP-0003   # the banner test
counter_evidence: [EXP-0019]
"""
    original = _file(front, **VARIANTS[variant])  # type: ignore[arg-type]
    path = example / INS
    path.write_bytes(original)
    cli = variant == "lf"
    run(example, "link", "INS-0100", "EXP-0012", cli=cli)
    assert b"  - EXP-0012" in path.read_bytes()
    if cli:
        run(example, "link", "INS-0100", "EXP-0014", "--rel", "contradicts")
    else:
        run(example, "link", "INS-0100", "EXP-0014", "contradicts", cli=False)
    assert b"counter_evidence: [EXP-0019, EXP-0014]" in path.read_bytes()
    run(example, "unlink", "INS-0100", "EXP-0014", cli=cli)
    run(example, "unlink", "INS-0100", "EXP-0012", cli=cli)
    assert path.read_bytes() == original


@pytest.mark.parametrize(
    "line, linked, unlinked",
    [
        ("insights: null  # later", "insights: [INS-0003]  # later", "insights: []  # later"),
        ("insights: ~", "insights: [INS-0003]", "insights: []"),
        ("insights:", "insights: [INS-0003]", "insights: []"),
        (None, "insights: [INS-0003]", "insights: []"),
    ],
    ids=["null with comment", "tilde", "empty", "missing"],
)
def test_null_or_missing_list_changes_only_its_line(
    example: Path, line: str | None, linked: str, unlinked: str
) -> None:
    """A null or missing list becomes a flow list; unlinking leaves it empty (``[]``), because
    an empty list and a never-set one cannot be told apart afterwards."""
    keys = ["id: OPP-0100", "title: Null", "status: idea", "created: 2025-01-10"]
    if line is not None:
        keys.insert(2, line)
    original = _file("\n".join(keys) + "\n")
    path = example / OPP
    path.write_bytes(original)
    assert cx("-C", example, "link", "--no-touch", "OPP-0100", "INS-0003").exit_code == 0
    expected = keys.copy()
    if line is None:
        expected.append(linked)
    else:
        expected[2] = linked
    assert path.read_bytes() == _file("\n".join(expected) + "\n")
    assert cx("-C", example, "unlink", "--no-touch", "OPP-0100", "INS-0003").exit_code == 0
    expected[2 if line is not None else -1] = unlinked
    assert path.read_bytes() == _file("\n".join(expected) + "\n")


def test_single_value_link_round_trip(example: Path) -> None:
    """experiment.opportunity holds one id: null -> the id -> null, as the templates write it."""
    rel = "experiments/EXP-0100-single.md"
    original = _file(
        'id: EXP-0100\ntitle: "One"\nstatus: draft\ncreated: 2025-01-10\n'
        "opportunity: null   # set by cxlib link\ninsights: []\n"
    )
    path = example / rel
    path.write_bytes(original)
    try:
        assert cx("-C", example, "link", "--no-touch", "EXP-0100", "OPP-0003").exit_code == 0
        assert b"opportunity: OPP-0003   # set by cxlib link\n" in path.read_bytes()
        other = cx("-C", example, "link", "--no-touch", "EXP-0100", "OPP-0004")
        assert other.exit_code == 2
        assert (
            "already names OPP-0003" in other.stderr and "unlink EXP-0100 OPP-0003" in other.stderr
        )
        assert cx("-C", example, "unlink", "--no-touch", "EXP-0100", "OPP-0003").exit_code == 0
        assert path.read_bytes() == original
    finally:
        path.unlink()


def test_dry_run_prints_the_diff_and_writes_nothing(example: Path) -> None:
    path = example / OPP
    original = _file(OPPORTUNITIES[0][1])
    path.write_bytes(original)
    result = cx("-C", example, "link", "--no-touch", "OPP-0100", "INS-0003", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would link" in result.stdout
    assert "+  - INS-0003" in result.stdout and f"--- a/{OPP}" in result.stdout
    assert path.read_bytes() == original
    data = cx(
        "-C", example, "link", "--no-touch", "OPP-0100", "INS-0003", "--format", "json"
    ).json()
    assert data["changed"] is True and data["field"] == "insights" and data["relation"] == "feeds"


def test_unlink_a_broken_link_and_keep_body_mentions(example: Path) -> None:
    """A link whose target was deleted can still be removed; a [[mention]] is left alone."""
    path = example / OPP
    original = _file(
        "id: OPP-0100\ntitle: Broken\nstatus: idea\ncreated: 2025-01-10\n"
        "insights: [INS-0002, INS-0999]\n"
    )
    path.write_bytes(original)
    result = cx("-C", example, "unlink", "--no-touch", "OPP-0100", "INS-0999")
    assert result.exit_code == 0, result.output
    assert b"insights: [INS-0002]\n" in path.read_bytes()
    result = cx("-C", example, "unlink", "--no-touch", "OPP-0100", "INS-0002")
    assert result.exit_code == 0
    assert "still mentions [[INS-0002]]" in result.stderr
    nothing = cx("-C", example, "unlink", "--no-touch", "OPP-0100", "INS-0002")
    assert nothing.exit_code == 0 and "does not link to INS-0002" in nothing.stdout

"""``cxlib graph`` on the example knowledge base: tree, Mermaid, DOT and JSON, and the link graph
in the core that ``show`` and the reports use.

The Mermaid output is rendered by the real Mermaid CLI (``mmdc`` from ``@mermaid-js/mermaid-cli``,
driving the machine's Chromium) when it is installed; the syntax is also checked line by line
without it. DOT output is rendered by Graphviz's ``dot`` when it is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy

HOSTILE = "Quotes \"x\" & 'y' [b] {c} (d) <script>alert(1)</script> #h; 100% | `t` --> e %% f ❤"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example library plus an insight with a hostile title and a link to a missing id."""
    target = tmp_path_factory.mktemp("graph") / "northwind"
    example_copy(target)
    (target / "insights" / "INS-0100-hostile.md").write_text(
        f"---\nid: INS-0100\ntitle: {json.dumps(HOSTILE, ensure_ascii=False)}\n"
        "status: draft\ncreated: 2026-01-05\n---\n\n## Summary\n\nSee [[EXP-0999]].\n"
    )
    (target / "opportunities" / "OPP-0100-built-on-it.md").write_text(
        "---\nid: OPP-0100\ntitle: Built on it\nstatus: idea\ncreated: 2026-01-06\n"
        "insights: [INS-0100, INS-0002]\n---\n\n## Why\n\nx\n"
    )
    return target


def graph(example: Path, *args: str) -> str:
    result = cx("-C", example, "graph", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_neighbourhood_as_json(example: Path) -> None:
    data = json.loads(graph(example, "EXP-0003", "--depth", "1", "--format", "json"))
    assert data["root"] == "EXP-0003" and data["depth"] == 1
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {"EXP-0003", "OPP-0001", "INS-0002", "INS-0007", "EXP-0019"}
    flows = {(e["upstream"], e["relation"], e["downstream"]) for e in data["edges"]}
    assert ("OPP-0001", "tested by", "EXP-0003") in flows
    assert ("INS-0002", "inspires", "EXP-0003") in flows
    assert ("EXP-0003", "supports", "INS-0007") in flows
    assert ("EXP-0003", "followed up by", "EXP-0019") in flows
    stored = {(e["source"], e["field"], e["target"]) for e in data["edges"]}
    assert ("INS-0007", "evidence", "EXP-0003") in stored  # the direction it is stored in


def test_tree_for_one_document(example: Path) -> None:
    lines = graph(example, "EXP-0019", "--depth", "1").splitlines()
    assert lines[0] == ("EXP-0019 Free shipping progress bar in the cart [experiment · concluded]")
    assert sorted(lines[1:]) == sorted(
        [
            "├── ← EXP-0003 Free shipping threshold banner in the cart "
            "[experiment · concluded] (followed up by)",
            "├── ← INS-0002 Shipping costs surface too late and trigger cart exits "
            "[insight · validated] (inspires)",
            "├── ← INS-0007 A threshold message alone does not grow baskets; shoppers need to "
            "see what to add [insight · validated] (inspires)",
            "├── ← OPP-0001 Make shipping costs predictable before checkout "
            "[opportunity · in-progress] (tested by)",
            "└── → INS-0007 A threshold message alone does not grow baskets; shoppers need to "
            "see what to add [insight · validated] (supports)",
        ]
    )


def test_whole_library_tree_shows_every_document(example: Path) -> None:
    out = graph(example)
    for path in example.glob("*/*.md"):
        assert path.name[:8] in out, path.name
    assert "\x1b[" not in out  # plain text when piped
    assert "INS-0002 Shipping costs surface too late" in out.splitlines()[0]


NODE = re.compile(
    r'^  (n_[A-Za-z0-9_]+)\["([^"\n]*)"\]:::(insight|opportunity|experiment|missing)$'
)
EDGE = re.compile(r'^  (n_[A-Za-z0-9_]+) (-->|-\.->)\|"([^"|\n]*)"\| (n_[A-Za-z0-9_]+)$')


def test_mermaid_syntax_line_by_line(example: Path) -> None:
    """Every line is one of the forms the renderer accepts, every label is escaped, every edge
    joins declared nodes (independent of the Mermaid CLI)."""
    text = graph(example, "--format", "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes: dict[str, str] = {}
    edges = []
    for line in lines[1:]:
        if line.startswith("  classDef "):
            continue
        node, edge = NODE.match(line), EDGE.match(line)
        assert node or edge, f"unexpected line: {line!r}"
        if node:
            nodes[node.group(1)] = node.group(2)
        elif edge:
            edges.append((edge.group(1), edge.group(4)))
    assert len(nodes) == len(list(example.glob("*/*.md"))) + 1  # + the missing EXP-0999
    assert all(a in nodes and b in nodes for a, b in edges)
    label = nodes["n_INS_0100"]
    plain = re.sub(r"#\d+;", "", label.replace("<br/>", ""))
    assert not set(plain) & set('"<>;[]{}|`%&#')  # special characters only as entity codes
    assert "#34;x#34;" in label and "#60;script#62;" in label and "#10084;" in label
    assert 'n_EXP_0999["EXP-0999 (missing)"]:::missing' in text
    assert '  n_INS_0100 -->|"feeds"| n_OPP_0100' in text
    assert '  n_INS_0100 -.->|"mentions"| n_EXP_0999' in text


def _mmdc() -> tuple[str, str] | None:
    mmdc = os.environ.get("CXLIB_MMDC") or shutil.which("mmdc")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    return (mmdc, browser) if mmdc and browser else None


@pytest.mark.skipif(
    _mmdc() is None,
    reason="the Mermaid CLI (npm @mermaid-js/mermaid-cli, 'mmdc') or Chromium is not installed; "
    "see the README section on the link graph",
)
def test_mermaid_cli_renders_the_example_graph(example: Path, tmp_path: Path) -> None:
    found = _mmdc()
    assert found is not None
    mmdc, browser = found
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": browser, "args": ["--no-sandbox"]}))
    diagram = tmp_path / "graph.mmd"
    diagram.write_text(graph(example, "--format", "mermaid"))
    svg = tmp_path / "graph.svg"
    done = subprocess.run(
        [mmdc, "-q", "-p", str(config), "-i", str(diagram), "-o", str(svg)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    rendered = svg.read_text()
    assert "EXP-0003" in rendered and "tested by" in rendered
    assert "<script>alert" not in rendered  # the hostile title is text, not markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_dot_output(example: Path, tmp_path: Path) -> None:
    text = graph(example, "EXP-0003", "--format", "dot")
    assert text.startswith("digraph cxlib {") and text.rstrip().endswith("}")
    assert '"OPP-0001" -> "EXP-0003" [label="tested by"];' in text
    assert '"EXP-0003" [label="EXP-0003\\nFree shipping' in text and "penwidth=3" in text
    whole = graph(example, "--format", "dot")
    assert '\\"x\\"' in whole  # the hostile title's quotes are escaped
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz 'dot' is not installed (apt-get install graphviz)")
    done = subprocess.run([dot, "-Tsvg"], input=whole, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Free shipping threshold banner" in done.stdout and "&lt;script&gt;" in done.stdout


@pytest.mark.parametrize(
    "args, message",
    [(("EXP-0404",), "unknown id"), (("EXP-0003", "--depth", "-1"), "--depth")],
)
def test_graph_refusals(example: Path, args: tuple[str, ...], message: str) -> None:
    result = cx("-C", example, "graph", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_core_graph_has_backlinks_and_the_relation_table(example: Path) -> None:
    from cxlib.kb.store import KnowledgeBase
    from cxlib.model.graph import LinkGraph
    from cxlib.model.relations import RELATIONS
    from cxlib.model.vocabulary import LINK_FIELDS
    from cxlib.ops.loading import load_checked

    assert {(r.source, r.field): r.target for r in RELATIONS} == {
        (kind, name): targets[0]
        for kind, fields in LINK_FIELDS.items()
        for name, targets in fields.items()
    }
    library, _ = load_checked(KnowledgeBase.open(example))
    g = LinkGraph.from_library(library)
    back = {(e.source, e.field) for e in g.backlinks("EXP-0003")}
    assert {("EXP-0019", "follows"), ("INS-0007", "evidence")} <= back
    assert {e.downstream for e in g.downstream("INS-0002", typed_only=True)} >= {
        "OPP-0001",
        "EXP-0003",
    }
    assert g.nodes["EXP-0999"].exists is False

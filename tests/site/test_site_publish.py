"""Publishing: init --pages writes a Pages workflow that validates before it publishes, init
ignores the site's folder, and site --serve previews on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import yaml
from tests.conftest import cx, example_copy


def test_init_pages_writes_a_workflow_that_validates_before_it_publishes(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    result = cx("init", root, "--pages")
    assert result.exit_code == 0, result.output
    text = (root / ".github" / "workflows" / "cxlib-pages.yml").read_text()
    assert "PUBLIC" in text and "private Pages" in text
    flow = yaml.safe_load(text)
    steps = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "") for s in steps]
    validate = next(i for i, r in enumerate(runs) if r.startswith("cxlib validate"))
    site = next(i for i, r in enumerate(runs) if r.startswith("cxlib site"))
    upload = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact"))
    assert validate < site < upload
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "public" in result.stderr
    assert "_site/" in (root / ".gitignore").read_text().splitlines()


def test_init_without_pages_writes_no_pages_workflow(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    assert cx("init", root).exit_code == 0
    assert not (root / ".github" / "workflows" / "cxlib-pages.yml").exists()
    assert ".cxlib/" in (root / ".gitignore").read_text().splitlines()
    assert "_site/" in (root / ".gitignore").read_text().splitlines()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_previews_the_site_on_the_loopback_address(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    port = _free_port()
    args = ["-m", "cxlib", "-C", str(base), "site", "--no-search", "--serve", "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, *args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stderr is not None
        lines = []
        for line in proc.stderr:  # the address is said once the port is bound
            lines.append(line)
            if "serving the site on" in line:
                break
        assert f"http://127.0.0.1:{port}/" in lines[-1], lines
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/docs/EXP-0003.html") as response:
            assert response.status == 200
            assert "Free shipping threshold banner" in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()


def test_serve_on_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cx("-C", base, "site", "--no-search", "--serve", "--port", str(port))
    assert result.exit_code == 2, result.output
    assert f"port {port} is in use" in result.stderr

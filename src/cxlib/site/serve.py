"""``cxlib site --serve``: the built site on 127.0.0.1 for a local preview (search needs a
server: browsers do not let a page opened from disk load the search index)."""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxlib.errors import UsageError

HOST = "127.0.0.1"  # this machine only: a preview is nobody else's
DEFAULT_PORT = 8000


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a request is no news."""


# Pagefind's WebAssembly must be served as such for the browser to compile it.
_Handler.extensions_map = {
    **http.server.SimpleHTTPRequestHandler.extensions_map,
    ".wasm": "application/wasm",
    ".js": "text/javascript",
}


def serve(out: Path, port: int, ready: Callable[[str], None]) -> None:
    """Serve ``out`` on 127.0.0.1:``port`` until interrupted; ``ready`` gets the address once
    the port is bound."""
    handler = functools.partial(_Handler, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} is in use on {HOST}", hint="choose another with --port"
            ) from None
        raise UsageError(f"cannot serve on {HOST}:{port}: {e.strerror or e}") from None
    with server:
        ready(f"http://{HOST}:{server.server_address[1]}/")
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a preview ends
            server.serve_forever()

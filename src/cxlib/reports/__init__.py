"""The program's reports: pure functions from the loaded library, the config and ``today`` to
result dataclasses, and pure renderers of those results (markdown, JSON, CSV rows, HTML)."""

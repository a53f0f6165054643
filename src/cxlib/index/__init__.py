"""The search index: a disposable, local cache of the knowledge base, kept fresh on every query.

Operations use :mod:`cxlib.index.service` only. Everything that knows the backend (whoosh) lives
in ``schema``, ``query`` and ``store`` (and ``backend``, which loads whoosh's shared modules
first); the rest (records, manifest, lock) is backend-neutral, so a different engine would
replace those modules and nothing else.
"""

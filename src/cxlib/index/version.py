"""The stamp an index carries: cxlib's index format and the backend's version. An index with
any other stamp is rebuilt. Kept apart from the schema so checking it does not load the backend
(``import whoosh`` alone reads only its version)."""

from __future__ import annotations

import whoosh

# Bump when the schema, the manifest or what a record holds changes.
INDEX_FORMAT = 3  # 2: ids are words of ASCII digits only; 3: signatures hold the ctime
STAMP = f"cxlib-index-{INDEX_FORMAT}/whoosh-{'.'.join(map(str, whoosh.__version__))}"

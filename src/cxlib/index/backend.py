"""whoosh's shared modules, loaded without the network, async and word-form code they import and
never use.

``whoosh.compat`` (every whoosh module imports it) imports ``urllib.request`` for
``urlretrieve``, which no index operation calls; that pulls in ``http``, ``email``, ``ssl`` and
``socket``. Its ``cached_property`` dependency imports ``asyncio`` only to ask, on each first
read of a cached attribute, whether the method is a coroutine function. Together that is about
70 modules and 50 ms of every search, ``similar`` and index build on a 2-CPU machine.

So the two are loaded here, once, each such name standing in while they load for a module that
does what they use: the real ``urlretrieve`` (imported on its first call), and
``iscoroutinefunction`` (:func:`inspect.iscoroutinefunction`: no whoosh method is a coroutine).

Likewise ``whoosh.query`` imports ``whoosh.lang.morph_en`` for ``variations``, which only the
``Variations`` query (never made by cxlib) calls: building that module's tables of English
word forms costs 8-15 ms. ``variations`` stands in as a function that imports the real one on
its first call.

The stand-ins are gone from :data:`sys.modules` once these modules are loaded, so any other
import gets the real modules. A name another module already loaded needs no stand-in.

Every module that imports whoosh's submodules imports this one first (a test checks it).
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any


def _stand_in(name: str, **attributes: Any) -> types.ModuleType:
    """A module ``name`` with ``attributes``; any other attribute is the real module's."""
    module = types.ModuleType(name, f"stand-in for {name} while whoosh loads")

    def __getattr__(attribute: str) -> Any:
        # Still standing in, the real one cannot load; and the stand-in's own dunders (its
        # file, its spec) are not the real module's.
        if attribute.startswith("__") or sys.modules.get(name) is module:
            raise AttributeError(attribute)
        return getattr(importlib.import_module(name), attribute)

    module.__dict__.update(attributes, __getattr__=__getattr__)
    return module


def _real(name: str, attribute: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(name), attribute)(*args, **kwargs)

    return call


@contextmanager
def _standing_in(stand_ins: dict[str, types.ModuleType]) -> Iterator[None]:
    placed = [name for name in stand_ins if name not in sys.modules]
    for name in placed:
        sys.modules[name] = stand_ins[name]
    try:
        yield
    finally:
        for name in placed:
            if sys.modules.get(name) is stand_ins[name]:
                del sys.modules[name]


with _standing_in(
    {
        "urllib.request": _stand_in(
            "urllib.request", urlretrieve=_real("urllib.request", "urlretrieve")
        ),
        "asyncio": _stand_in("asyncio", iscoroutinefunction=inspect.iscoroutinefunction),
        "whoosh.lang.morph_en": _stand_in(
            "whoosh.lang.morph_en", variations=_real("whoosh.lang.morph_en", "variations")
        ),
    }
):
    import whoosh.compat

    with suppress(ImportError):  # whoosh-reloaded's dependency, not ours: a later one may drop it
        import cached_property  # noqa: F401
    import whoosh.query  # noqa: F401

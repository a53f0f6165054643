"""What a document file says, as cached: locations read back lazily."""

from __future__ import annotations


def test_locations_read_from_the_cache_read_alike_every_way() -> None:
    from cxlib.model.source import LocationMap, Scalar

    m = LocationMap({"a": [1, 2], "b": [3, 4, "x"]})
    assert dict(m) == {k: m[k] for k in m} == {"a": Scalar(1, 2), "b": Scalar(3, 4, "x")}
    assert m.get("a") == Scalar(1, 2) and m.get("z") is None and "b" in m
    assert dict(m.items()) == dict(m)

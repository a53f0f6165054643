"""Snippets (``index/snippets.py``) are whoosh's own: on every hit of the example base and on
made-up bodies, the same text as whoosh's ``Hit.highlights``, through the short way; what that
way does not cover is left to whoosh and still comes out the same."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLE
from whoosh import fields, highlight, index
from whoosh.analysis import NgramAnalyzer, StemmingAnalyzer
from whoosh.lang.porter2 import stem
from whoosh.qparser import MultifieldParser, QueryParser

from cxlib.index.records import body_text, build_record
from cxlib.index.schema import WORDS, make_schema, to_fields
from cxlib.index.snippets import Snippets
from cxlib.index.store import highlighting
from cxlib.kb.parse import parse_bytes
from cxlib.model.kinds import Kind

FOLDERS = {
    "insights": Kind.INSIGHT,
    "opportunities": Kind.OPPORTUNITY,
    "experiments": Kind.EXPERIMENT,
}
# Words around "ship": forms that stem to it, stop words (kept, not stemmed, in a snippet),
# "being" (stems to the stop word "be"), ids, dotted and accented words, and words longer
# than the 40 characters of context and the 120 of a passage.
WORDS_USED = (
    "ship shipping shipped ships free fee the a be being of and checkout cart EXP-0003 "
    "[[INS-0002]] v1.2.3 café naïve size guide guides returns, return. refund! "
    + "x" * 45
    + " "
    + "y" * 130
).split()


def _example_texts() -> dict[str, str]:
    return {
        f"{folder}/{p.name}": body_text(p.read_bytes())
        for folder in FOLDERS
        for p in sorted((EXAMPLE / folder).glob("*.md"))
    }


def _example_index(folder: Path) -> Any:
    ix = index.create_in(str(folder), make_schema())
    writer = ix.writer()
    for path, kind in (
        (f"{f}/{p.name}", k) for f, k in FOLDERS.items() for p in sorted((EXAMPLE / f).glob("*.md"))
    ):
        raw = (EXAMPLE / path).read_bytes()
        writer.add_document(**to_fields(build_record(path, kind, raw, parse_bytes(raw))))
    writer.commit()
    return ix


def _search(ix: Any, text: str) -> Any:
    q = MultifieldParser(["title", "body"], ix.schema).parse(text)
    return highlighting(ix.searcher().search(q, limit=20, terms=True))


@pytest.mark.parametrize(
    "query", ["shipping", "free shipping", "checkout OR returns", "size guide", "customers"]
)
def test_every_snippet_of_the_example_is_whoosh_s(tmp_path: Path, query: str) -> None:
    ix = _example_index(tmp_path)
    texts = _example_texts()
    results = _search(ix, query)
    assert len(results) > 0
    snippets = Snippets(results, "body", top=2)
    for hit in results:
        text = texts[hit["path"]]
        assert snippets._fragments(text) is not None  # the short way was taken
        assert snippets.of(hit, text) == hit.highlights("body", text=text, top=2)


def test_made_up_bodies_come_out_as_whoosh_makes_them(tmp_path: Path) -> None:
    ix = _example_index(tmp_path)
    results = _search(ix, "shipping OR guide OR café OR checkout")
    hit = results[0]
    snippets = Snippets(results, "body", top=2)
    rng = random.Random(7)
    lengths = [0, 1, 3, 10, 40, 200, 2_000]
    texts = [" ".join(rng.choices(WORDS_USED, k=n)) for n in lengths for _ in range(20)]
    # Past whoosh's 32,768-character limit of what it highlights, with matches beyond it.
    texts.append("plain words " * 3_000 + "free shipping at the end")
    texts.append("\n\n".join(rng.choices(WORDS_USED, k=40)))
    marked = 0
    for text in texts:
        assert snippets._fragments(text) is not None
        mine = snippets.of(hit, text)
        assert mine == hit.highlights("body", text=text, top=2), text[:200]
        marked += bool(mine)
    assert marked > len(texts) // 2  # most of them do have matches


def _own_index(tmp_path: Path, analyzer: Any) -> Any:
    schema = fields.Schema(path=fields.ID(stored=True), body=fields.TEXT(analyzer=analyzer))
    tmp_path.mkdir()
    ix = index.create_in(str(tmp_path), schema)
    writer = ix.writer()
    writer.add_document(path="a", body="free shipping over the cart, ships free")
    writer.commit()
    return ix


def test_touching_matches_and_other_shapes_are_left_to_whoosh(tmp_path: Path) -> None:
    text = "free shipping over the cart, ships free: shipshape"
    # One token per letter: matched tokens touch, and whoosh merges them before it cuts.
    letters = _own_index(tmp_path / "letters", StemmingAnalyzer(expression=r"[a-z]{2}"))
    results = highlighting(
        letters.searcher().search(QueryParser("body", letters.schema).parse("sh ip"), terms=True)
    )
    snippets = Snippets(results, "body", top=2)
    assert snippets._fragments(text) is None
    assert snippets.of(results[0], text) == results[0].highlights("body", text=text, top=2)
    assert "\x02" in snippets.of(results[0], text)
    # An analyzer whose filters look beyond one word, and another fragmenter.
    grams = _own_index(tmp_path / "grams", NgramAnalyzer(3))
    by_grams = highlighting(
        grams.searcher().search(QueryParser("body", grams.schema).parse("ship"), terms=True)
    )
    ours = _own_index(tmp_path / "ours", StemmingAnalyzer(expression=WORDS))
    by_sentence = highlighting(
        ours.searcher().search(QueryParser("body", ours.schema).parse("ship"), terms=True)
    )
    by_sentence.fragmenter = highlight.SentenceFragmenter()
    for results in (by_grams, by_sentence):
        snippets = Snippets(results, "body", top=2)
        assert not snippets._fast
        assert snippets.of(results[0], text) == results[0].highlights("body", text=text, top=2)


def test_a_leading_apostrophe_is_stemmed_away_as_whoosh_does(tmp_path: Path) -> None:
    # porter2 drops a leading apostrophe, the one way a word's first character changes.
    quoted = _own_index(tmp_path / "quoted", StemmingAnalyzer(expression=r"[\w']+", stemfn=stem))
    results = highlighting(
        quoted.searcher().search(QueryParser("body", quoted.schema).parse("shipping"), terms=True)
    )
    snippets = Snippets(results, "body", top=2)
    text = "we said 'shipping' twice, then 'ships and ship's"
    assert snippets._initials == {"s"}  # words not starting with "s" are not stemmed
    assert snippets._fragments(text) is not None
    assert snippets.of(results[0], text) == results[0].highlights("body", text=text, top=2)
    assert snippets.of(results[0], text).count("\x02") == 3


def test_porter2_keeps_the_first_character_of_a_word() -> None:
    # What lets a snippet skip stemming the words no matched term starts with.
    words = {m[0] for text in _example_texts().values() for m in re.finditer(WORDS, text)}
    words |= set(WORDS_USED) | {"dying", "yes", "yelling", "ies", "ied", "sses", "x's", "ugly"}
    assert len(words) > 500
    for word in words:
        low = word.lower()
        assert stem(low)[:1] == low[:1], word

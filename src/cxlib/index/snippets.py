"""A hit's snippet: whoosh's highlighting, without re-analysing every word of the body.

To highlight a hit, whoosh runs the whole body through its analyzer, a chain of generators
(tokenizer, lower case, stop words, stemmer) that hands one token object per word to the
fragmenter: about 4 µs a word, 40 ms for the 20 hits of a common query on 10,000 generated
documents, an eighth of the search. The filters of the body's analyzer each look at one word
alone, so a word comes out the same wherever it occurs: here each distinct word goes through
the real filters once, and :func:`_fragments` walks the words as whoosh's
``ContextFragmenter.fragment_tokens`` walks tokens, building token objects for matched words
only. whoosh's own scorer, ordering and formatter then make the snippet.

Anything of another shape (another analyzer, fragmenter or highlighter, a field that stores
its places, two matched words that touch, which whoosh would merge) is left to whoosh. A test
compares the snippets with whoosh's own.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from cxlib.index import backend  # noqa: F401  (first: how whoosh loads; see there)

# isort: split
from whoosh import highlight
from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.lang import porter2

# Filters whose output for a word does not depend on the words around it.
_ONE_WORD_FILTERS = (LowercaseFilter, StopFilter, StemFilter)
# Stemmers that only strip and replace a word's ending (after dropping a leading apostrophe):
# the first character comes through, lower-cased at most. A word whose first character no
# matched term starts with cannot match, and is not stemmed (porter2 is pure Python: stemming
# every distinct word of 20 bodies cost a search 8-15 ms).
_ENDING_STEMMERS = (porter2.stem,)

# A word as the analyzer leaves it: its text, its boost, and whether it is a matched term.
Analysed = tuple[str, float, bool]


class Snippets:
    """Highlighted snippets of ``fieldname`` for the hits of one whoosh ``results``."""

    def __init__(self, results: Any, fieldname: str, top: int) -> None:
        self._fieldname = fieldname
        self._top = top
        self._highlighter = highlighter = results.highlighter
        field = results.searcher.schema[fieldname]
        analyzer = field.analyzer
        self._fast = (
            type(highlighter) is highlight.Highlighter
            and type(highlighter.fragmenter) is highlight.ContextFragmenter
            and results.has_matched_terms()
            and not field.supports("characters")  # else whoosh highlights from stored places
            and isinstance(analyzer, CompositeAnalyzer)
            and type(analyzer.items[0]) is RegexTokenizer
            and not analyzer.items[0].gaps
            and all(type(f) in _ONE_WORD_FILTERS for f in analyzer.items[1:])
        )
        if not self._fast:
            return
        self._pattern = analyzer.items[0].expression
        self._filters = analyzer.items[1:]
        self._terms = frozenset(
            field.from_bytes(text) for name, text in results.matched_terms() if name == fieldname
        )
        stemmers = [f for f in self._filters if type(f) is StemFilter]
        by_ending = all(f.stemfn in _ENDING_STEMMERS and not f.lang for f in stemmers)
        self._initials = {_initial(t) for t in self._terms} if by_ending else None
        self._seen: dict[str, Analysed] = {}

    def of(self, hit: Any, text: str) -> str:
        """``hit``'s snippet of ``text``, as :meth:`whoosh.searching.Hit.highlights` gives it."""
        fragments = self._fragments(text) if self._fast else None
        if fragments is None:
            return str(hit.highlights(self._fieldname, text=text, top=self._top))
        hl = self._highlighter
        best = highlight.top_fragments(fragments, self._top, hl.scorer, hl.order, minscore=1)
        return str(hl.formatter.format(best))

    def _analysed(self, word: str) -> Analysed:
        """``word`` through the analyzer's filters, kept for its next occurrences (a word that
        cannot match needs only that answer)."""
        if self._cannot_match(word):
            found: Analysed = (word, 1.0, False)
        else:
            token = Token(positions=False, chars=False, removestops=False, mode="index")
            token.text, token.boost, token.stopped = word, 1.0, False
            stream = iter((token,))
            for step in self._filters:
                stream = step(stream)
            out = next(stream)  # with removestops=False every word comes through
            found = (out.text, out.boost, out.text in self._terms)
        self._seen[word] = found
        return found

    def _cannot_match(self, word: str) -> bool:
        initials = self._initials
        return initials is not None and word[:1] != "'" and _initial(word) not in initials

    def _fragments(self, text: str) -> list[highlight.Fragment] | None:
        """The fragments whoosh's ContextFragmenter makes of ``text``, in the same steps
        (see ``whoosh.highlight.ContextFragmenter.fragment_tokens``); None when two matched
        words touch (whoosh merges them first: left to it)."""
        fragmenter = self._highlighter.fragmenter
        maxchars, surround, charlimit = (
            fragmenter.maxchars,
            fragmenter.surround,
            fragmenter.charlimit,
        )
        seen = self._seen
        out = []
        first: int | None = None
        firsts: deque[int] = deque()
        countdown = -1
        tks: list[Token] = []
        endchar = 0
        currentlen = 0
        matched_end = -1  # where the previous word ended, if it was matched
        for match in self._pattern.finditer(text):
            word = match.group(0)
            analysed = seen.get(word) or self._analysed(word)
            matched = analysed[2]
            startchar, endchar = match.span()
            if matched and startchar <= matched_end:
                return None
            matched_end = endchar if matched else -1
            tlength = endchar - startchar
            if charlimit and endchar > charlimit:
                break
            if countdown < 0 and not matched:
                firsts.append(startchar)
                while firsts and endchar - firsts[0] > surround:
                    firsts.popleft()
            elif currentlen + tlength > maxchars:
                countdown = 0
            elif matched:
                countdown = surround
                if first is None:
                    first, countdown = _opening(firsts, startchar, surround)
                tks.append(_token(analysed, startchar, endchar))
            if countdown >= 0:
                currentlen += tlength
                countdown -= tlength
                if countdown <= 0:
                    out.append(highlight.mkfrag(text, tks, startchar=first, endchar=endchar))
                    tks = []
                    firsts = deque()
                    first = None
                    currentlen = 0
        if tks:
            out.append(highlight.mkfrag(text, tks, startchar=first, endchar=endchar))
        return out


def _initial(word: str) -> str:
    """A word's first character as a lower-casing filter leaves it."""
    return word[:1].lower()[:1]


def _opening(firsts: deque[int], startchar: int, surround: int) -> tuple[int, int]:
    """Where a passage whose first match starts at ``startchar`` begins, and its countdown:
    at the earliest word still within ``surround`` characters, else at the match itself,
    which then gets the unused context after it."""
    return (firsts[0], surround) if firsts else (startchar, 2 * surround)


def _token(analysed: Analysed, startchar: int, endchar: int) -> Token:
    """A matched word as the fragmenter keeps it (whoosh keeps a copy of the analyzer's token)."""
    token = Token(positions=False, chars=True, removestops=False, mode="index", matched=True)
    token.text, token.boost, _ = analysed
    token.startchar, token.endchar = startchar, endchar
    return token

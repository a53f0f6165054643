"""What a query returns, backend-neutral: ranked hits with a snippet and where it matched."""

from __future__ import annotations

from dataclasses import dataclass, field

START, END = "\x02", "\x03"  # marks around a match inside a snippet while it is built


@dataclass
class Snippet:
    text: str = ""
    # [start, end) character offsets of the matching words in ``text``
    matches: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def from_marked(cls, marked: str) -> Snippet:
        """A snippet from text with matches between START and END marks; whitespace collapsed."""
        out: list[str] = []
        matches: list[tuple[int, int]] = []
        begin = 0
        space = False
        for ch in marked.strip():
            if ch == START:
                if space:
                    out.append(" ")
                    space = False
                begin = len(out)
            elif ch == END:
                if matches and not "".join(out[matches[-1][1] : begin]).strip():
                    begin = matches.pop()[0]  # "free shipping" reads as one match
                matches.append((begin, len(out)))
            elif ch.isspace():
                space = bool(out)
            else:
                if space:
                    out.append(" ")
                    space = False
                out.append(ch)
        return cls("".join(out), matches)

    def marked(self, before: str, after: str) -> str:
        """The text with every match wrapped in ``before`` and ``after``."""
        parts: list[str] = []
        at = 0
        for start, end in self.matches:
            parts += [self.text[at:start], before, self.text[start:end], after]
            at = end
        parts.append(self.text[at:])
        return "".join(parts)


@dataclass
class Hit:
    path: str
    id: str
    kind: str
    title: str
    status: str
    outcome: str
    score: float
    snippet: Snippet = field(default_factory=Snippet)

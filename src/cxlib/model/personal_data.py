"""Personal data in text: e-mail addresses, phone numbers, IBANs, payment card numbers, street
addresses and listed names. Text in, the kind and place of each match out; no matched value is
kept, so nothing downstream can print one.

Every scan is linear and cheap on ordinary prose: the e-mail pattern runs only on a text with an
``@``; the number scans (IBANs, cards, phones) only on a text where nine digits stand together
once separators are left out; the address pattern reads the text's shape (every digit a 0) from
each space before a digit. No pattern repeats a group that could match the same text two ways,
and every look to the side is bounded. Checksums keep order numbers and the like out: ISO 13616
mod-97 for IBANs, Luhn and the networks' prefixes for cards. The phone and address patterns are
heuristics (their findings are warnings).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass


class DataKind(enum.StrEnum):
    """A kind of personal data (the finding codes are ``personal-`` and the value)."""

    EMAIL = "email"
    PHONE = "phone"
    IBAN = "iban"
    CARD = "card"
    ADDRESS = "address"
    NAME = "name"

    @property
    def label(self) -> str:
        """The kind in words, for a message: never the value."""
        return _LABELS[self]


_LABELS = {
    DataKind.EMAIL: "an e-mail address",
    DataKind.PHONE: "a phone number",
    DataKind.IBAN: "a bank account number (IBAN)",
    DataKind.CARD: "a payment card number",
    DataKind.ADDRESS: "a street address",
    DataKind.NAME: "a name on the [privacy] deny list",
}


@dataclass(frozen=True)
class Match:
    """Where personal data was found: 1-based line and column in the text; never the value."""

    kind: DataKind
    line: int
    column: int


_SPACE = " \u00a0"

# -- e-mail: a bounded local part, an "@", bounded domain labels --------------------------------
# The local part starts where no local-part character precedes it, so a long run of letters is
# tried once, not from each of its characters. Only a text with an "@" is searched.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]{1,64}@([\w-]{1,63})(?:\.[\w-]{1,63}){0,8}\.[^\W\d_]{2,24}(?![\w-])"
)
_RETINA = re.compile(r"\d{1,2}x")  # logo@2x.png names a file, not a mailbox

# -- numbers: a run of digit groups, one separator between two groups ----------------------------
# A separator is a space, - . / or the brackets of an area code or of an international number's
# "(0)". Digits and separators never overlap, so the repetition cannot backtrack; the lookahead
# skips, inside the regular expression engine, every number too short to matter (years, prices,
# percentages, p-values), the most common by far.
_SEP = r"(?:[ \u00a0]?[-./][ \u00a0]?|[ \u00a0]\(?|\)[ \u00a0]?)"
_NUMBER = re.compile(rf"(?:\+|\()?(?=[0-9()./ \u00a0-]{{7}})[0-9]+(?:{_SEP}[0-9]+)*")
_DIGITS = re.compile(r"[0-9]+")
_GLUE = frozenset("@+-./#_§$€£")  # EXP-0042, v2.14.3, a URL's path, an amount
_DATE_INSIDE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d(?!\d)|\d{4}-\d\d-\d\d")

# Card networks by their first digits, with the lengths they issue: Visa, Mastercard (51-55 and
# the 2-series 2221-2720), American Express, Discover, JCB, Diners Club, UnionPay, Maestro, Mir.
_CARD_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),
    (51, 55, frozenset({16})),
    (2221, 2720, frozenset({16})),
    (34, 34, frozenset({15})),
    (37, 37, frozenset({15})),
    (6011, 6011, frozenset(range(16, 20))),
    (644, 649, frozenset(range(16, 20))),
    (65, 65, frozenset(range(16, 20))),
    (3528, 3589, frozenset(range(16, 20))),
    (300, 305, frozenset(range(14, 20))),
    (36, 36, frozenset(range(14, 20))),
    (38, 39, frozenset(range(14, 20))),
    (62, 62, frozenset(range(16, 20))),
    (5018, 5018, frozenset(range(12, 20))),
    (5020, 5020, frozenset(range(12, 20))),
    (5038, 5038, frozenset(range(12, 20))),
    (5893, 5893, frozenset(range(12, 20))),
    (6304, 6304, frozenset(range(12, 20))),
    (6759, 6759, frozenset(range(12, 20))),
    (6761, 6763, frozenset(range(12, 20))),
    (2200, 2204, frozenset(range(16, 20))),
)

# -- IBAN: a country code and two check digits, then the country's number of letters and digits -
_IBAN_START = re.compile(r"(?<![\w])([A-Za-z]{2})([0-9]{2})")
# ISO 13616 lengths by country (the SWIFT IBAN registry).
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip

# -- street addresses: a street word next to a house number ------------------------------------
# German and Dutch put the number after the street ("Lindenweg 7", "Berliner Straße 12",
# "Damstraat 1"); English and French put it first ("221B Baker Street", "12 rue de la Paix").
# The pattern reads the text's shape (below), where every digit is a 0: it starts with a literal,
# which the regular expression engine finds about as fast as a plain search.
_SUFFIXES = (
    "straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "damm", "ufer", "chaussee",
    "straat", "gracht", "laan", "plein", "singel", "dijk", "steeg",
)  # fmt: skip
_LAST_LETTERS = "".join(sorted({re.escape(x[-1]) for x in _SUFFIXES}))
_LETTER = r"A-Za-z\xc0-\xd6\xd8-\xf6\xf8-\xff"  # latin-1 letters, as bytes
# One pattern for the three forms, from a space before a digit (in the shape, a line break, a tab,
# an opening bracket or a double quote before a number is a space too): the only places worth a
# closer look.
_ADDRESS = re.compile(
    (
        r" 0(?:"
        # German and Dutch: a street word ends behind the space (fixed-width looks behind), the
        # house number has 1-3 digits and a letter
        rf"(?P<after>(?<=[{_LAST_LETTERS}] 0)(?:"
        + "|".join(f"(?<=[{x[0]}{x[0].upper()}]{re.escape(x[1:])} 0)" for x in _SUFFIXES)
        + rf")0{{0,2}}[A-Za-z]?(?![{_LETTER}0_]|[.,]0))"
        # English: up to three capitalised words, then the street type
        rf"|0{{0,4}}[A-Za-z]?,? {{1,3}}(?:[A-Z][^ ]{{0,30}} ){{1,3}}"
        r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|"
        rf"Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Way)(?![{_LETTER}0_])"
        # French: the street type first, then the name
        r"|0{0,3}(?: ?(?:bis|ter))?,? {1,3}"
        r"(?:[Rr]ue|[Aa]venue|[Aa]v\.|[Bb]oulevard|[Bb]d|[Pp]lace|[Qq]uai|[Cc]hemin|[Aa]llée|"
        r"[Ii]mpasse|[Cc]ours) {1,3}"
        r"(?:(?:de la|de|du|des|d'|l') ?)?[A-Z\xc0-\xd6\xd8-\xdd])"
    ).encode("latin-1")
)
_WORD_BEFORE = re.compile(r"\S+\Z")


def _tables() -> tuple[bytes, bytes]:
    """Two maps of latin-1 bytes: the shape (every digit a 0; a no-break space, a line break,
    a tab, an opening bracket and a double quote a space; the rest as it is) and the case fold
    (capitals to small letters)."""
    shape, fold = bytearray(range(256)), bytearray(range(256))
    for i in range(256):
        c = chr(i)
        if "0" <= c <= "9":
            shape[i] = ord("0")
        lower = c.lower()
        if len(lower) == 1 and ord(lower) < 256:
            fold[i] = ord(lower)
    for c in '\u00a0\n\t(["':
        shape[ord(c)] = ord(" ")
    return bytes(shape), bytes(fold)


_SHAPE, _FOLD = _tables()
_NUMBER_SEPARATORS = b" -./()+"
_WORD_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_") | frozenset(range(0xC0, 0x100))
# An allowed string stands alone: not glued to a longer address, number or word.
_BEFORE_ALLOWED = _WORD_CHARS | frozenset(b".@+-")
_AFTER_ALLOWED = _WORD_CHARS | frozenset(b"@-")


@dataclass(frozen=True)
class Scanner:
    """Finds personal data in text. ``deny``: names reported wherever they appear (any case, whole
    words); ``allow``: strings never reported (any case), such as the company's own address."""

    deny: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()

    def scan(self, text: str) -> list[Match]:
        """Every match in ``text``, in order of place."""
        found: list[tuple[int, DataKind]] = []
        if "@" in text:
            found += _emails(text)
        # One byte per character (what latin-1 cannot hold becomes "?"), so places stay the same.
        narrow = text.encode("latin-1", "replace")
        shape = narrow.translate(_SHAPE)
        if b"000000000" in shape.translate(None, _NUMBER_SEPARATORS):
            found += _numbers(text)  # nine digits or more, separators left out
        found += _addresses(text, shape)
        if self.deny or (self.allow and found):
            folded = narrow.translate(_FOLD)
            if self.deny:
                found += _names(text, folded, self.deny)
            if self.allow and found:
                found = _not_allowed(found, folded, self.allow)
        return _located(text, found)


def _emails(text: str) -> list[tuple[int, DataKind]]:
    return [
        (m.start(), DataKind.EMAIL)
        for m in _EMAIL.finditer(text)
        if not _RETINA.fullmatch(m.group(1))
    ]


def _numbers(text: str) -> list[tuple[int, DataKind]]:
    """Cards, IBANs and phone numbers; a card or an IBAN is not a phone number as well."""
    out: list[tuple[int, DataKind]] = []
    ibans: list[tuple[int, int]] = []  # (start, end), in order
    for m in _IBAN_START.finditer(text):
        end = _iban_end(text, m)
        if end is not None:
            out.append((m.start(), DataKind.IBAN))
            ibans.append((m.start(), end))
    for m in _NUMBER.finditer(text):
        start, end = m.span()
        if end - start > 40:
            continue  # longer than any phone or card number, however written
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or before in _GLUE or after.isalnum() or after in "@%_":
            continue  # part of a word, an id, a version, a URL, an amount or a percentage
        while ibans and ibans[0][1] <= start:
            ibans.pop(0)
        if ibans and ibans[0][0] <= start:
            continue  # the account number of an IBAN found already
        token = m.group()
        groups = _DIGITS.findall(token)
        digits = "".join(groups)
        if _is_card(token, digits):
            out.append((start, DataKind.CARD))
        elif _is_phone(token, groups, digits):
            out.append((start, DataKind.PHONE))
    return out


def _is_card(token: str, digits: str) -> bool:
    if not 12 <= len(digits) <= 19 or any(c in token for c in "./()+"):
        return False
    return _network(digits) and _luhn(digits)


def _network(digits: str) -> bool:
    for low, high, lengths in _CARD_RANGES:
        prefix = int(digits[: len(str(low))])
        if low <= prefix <= high and len(digits) in lengths:
            return True
    return False


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _is_phone(token: str, groups: list[str], digits: str) -> bool:
    n = len(digits)
    if not 9 <= n <= 17:
        return False  # nine digits at least, as the scan's gate asks
    if token.startswith("+"):
        # E.164: a country code (never 0), at most 15 digits in all
        return n <= 15 and digits[0] != "0"
    if _DATE_INSIDE.search(token):
        return False
    if len(groups) == 2 and token.count(".") == 1 and " " not in token:
        return False  # a decimal number: 0.123456789
    if digits.startswith("00"):
        # the international prefix of most of the world: 0049 30 1234567
        return len(groups) > 1 and 10 <= n <= 17 and digits[2] != "0"
    if digits[0] == "0":
        # A national number after its trunk prefix (DE, NL, UK, FR and most of Europe): the
        # area code, with its 0, is a group of its own, or a number is written in one piece.
        if len(groups) > 1:
            return 9 <= n <= 12 and len(groups[0]) >= 2 and digits[1] != "0"
        return 10 <= n <= 11 and digits[1] != "0"
    # North America, in groups of 3, 3 and 4: (555) 123-4567, 555.123.4567, 1-555-123-4567
    if len(groups) == 4 and groups[0] == "1":
        groups = groups[1:]
    return [len(g) for g in groups] == [3, 3, 4] and groups[0][0] not in "01"


def _iban_end(text: str, m: re.Match[str]) -> int | None:
    """Where the IBAN that starts at ``m`` ends, when its check digits hold."""
    country = m.group(1).upper()
    length = _IBAN_LENGTHS.get(country)
    if length is None:
        return None
    chars: list[str] = []
    i, n = m.end(), len(text)
    while len(chars) < length - 4:
        if i >= n:
            return None
        c = text[i]
        if c in _SPACE and i + 1 < n and _ascii_alnum(text[i + 1]):
            i += 1  # one space between two groups
            continue
        if not _ascii_alnum(c):
            return None
        chars.append(c)
        i += 1
    if i < n and text[i].isalnum():
        return None  # longer than the country's IBAN
    return i if _mod97("".join(chars).upper() + country + m.group(2)) else None


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _mod97(rearranged: str) -> bool:
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _addresses(text: str, shape: bytes) -> list[tuple[int, DataKind]]:
    found: list[tuple[int, DataKind]] = []
    # A space in front, so that a number that starts the text is read like any other: each
    # place in the padded shape is one after its place in the text.
    for m in _ADDRESS.finditer(b" " + shape):
        # the street's word when it comes first, else the house number
        at = _word_start(text, m.start() - 1) if m.group("after") else m.start()
        found.append((at, DataKind.ADDRESS))
    return found


def _word_start(text: str, end: int) -> int:
    """The start of the word that ends before ``end`` (at most 60 characters back)."""
    word = _WORD_BEFORE.search(text, max(0, end - 60), end)
    return end if word is None else word.start()


def _names(text: str, folded: bytes, deny: tuple[str, ...]) -> list[tuple[int, DataKind]]:
    """Where a name of ``deny`` stands as whole words: its first word is looked for in the
    case-folded bytes, and each place where it occurs is read with the name's pattern."""
    out: list[tuple[int, DataKind]] = []
    for first, pattern in _deny_patterns(deny):
        at = folded.find(first)
        while at >= 0:
            if (at == 0 or folded[at - 1] not in _WORD_CHARS) and pattern.match(text, at):
                out.append((at, DataKind.NAME))
            at = folded.find(first, at + 1)
    return out


@functools.lru_cache(maxsize=8)
def _deny_patterns(deny: tuple[str, ...]) -> list[tuple[bytes, re.Pattern[str]]]:
    out: list[tuple[bytes, re.Pattern[str]]] = []
    for name in deny:
        words = name.split()
        if words:
            body = r"\s+".join(re.escape(w) for w in words)
            pattern = re.compile(rf"{body}(?![\w])", re.IGNORECASE)
            out.append((_folded(words[0]), pattern))
    return out


def _folded(value: str) -> bytes:
    return value.encode("latin-1", "replace").translate(_FOLD)


def _not_allowed(
    found: list[tuple[int, DataKind]], folded: bytes, allow: tuple[str, ...]
) -> list[tuple[int, DataKind]]:
    """``found`` without the matches that start inside an allowed string (any case, standing
    alone: not part of a longer address or number). Only the few places around each match are
    searched, however long the text and the list."""
    entries = _allowed(allow)
    return [(s, k) for s, k in found if not any(_covers(folded, e, s) for e in entries)]


def _covers(folded: bytes, entry: bytes, at: int) -> bool:
    """Whether ``entry`` stands alone in ``folded`` at a place that covers ``at``."""
    stop = at + len(entry)
    start = folded.find(entry, max(0, at - len(entry) + 1), stop)
    while start >= 0:
        end = start + len(entry)
        before = folded[start - 1] if start else 0x20
        after = folded[end] if end < len(folded) else 0x20
        if before not in _BEFORE_ALLOWED and after not in _AFTER_ALLOWED:
            return True
        start = folded.find(entry, start + 1, stop)
    return False


@functools.lru_cache(maxsize=8)
def _allowed(allow: tuple[str, ...]) -> list[bytes]:
    return [_folded(a.strip()) for a in allow if a.strip()]


def _located(text: str, found: Iterable[tuple[int, DataKind]]) -> list[Match]:
    """Offsets as lines and columns, counting the lines once from the start to the last match."""
    out: list[Match] = []
    line, line_start, pos = 1, 0, 0
    for start, kind in sorted(found):
        if start > pos:
            line += text.count("\n", pos, start)
            newline = text.rfind("\n", pos, start)
            if newline >= 0:
                line_start = newline + 1
            pos = start
        out.append(Match(kind, line, start - line_start + 1))
    return out

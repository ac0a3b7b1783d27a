"""A cheap test that can only say "cannot match": the literal strings a regular expression needs.

`required_literals(pattern)` reads a compiled pattern's own parse tree (the standard library's regex parser) and
returns a set of strings such that every match of the pattern contains at least one of them, or None when no such
set is known (e.g. `\\d+%`). `Gate(patterns)` combines several patterns: `Gate.may_match(text)` is False only when
none of the patterns can match `text`, so a reader may skip work that needs one of them. Because the literals come
from the very pattern objects an extractor uses, the gate cannot drift from the extractor's vocabulary.

Soundness, in brief: literals are ASCII; one that comes from a case-insensitive part of a pattern is compared in
lower case with the text lower-cased and "folded" (the few non-ASCII characters that Python's case-insensitive
matching equates with an ASCII letter, e.g. the Kelvin sign and dotless i, are mapped to that letter first); a
case-sensitive literal is compared with the text as it is. Anything the analysis does not understand (back
references, conditionals, non-ASCII characters in a pattern, lookarounds) is treated as "matches anything here",
which can only make the gate accept more. tests/records/test_prefilter.py checks this with generated matches.
"""

from __future__ import annotations

import re
import re._constants as sre_c  # type: ignore[import-untyped,unused-ignore]
import re._parser as sre_parse  # type: ignore[import-untyped,unused-ignore]
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from string import ascii_letters
from typing import Any, Generic, TypeVar

from ahocorasick_rs import AhoCorasick, MatchKind

MAX_SET = 64  # largest exact set kept while expanding alternatives and character classes
T = TypeVar("T")
Literal = tuple[str, bool]  # (text, case_sensitive); case-insensitive literals are lower case


@dataclass(frozen=True)
class _Info:
    """What a piece of a pattern can match: its exact strings (None: too many / unknown) and a set of literals
    one of which every match contains (None: unknown)."""

    exact: frozenset[Literal] | None
    required: frozenset[Literal] | None


_EMPTY = _Info(frozenset({("", True)}), None)
_ANY = _Info(None, None)
_REPEATS = {sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", sre_c.MAX_REPEAT)}
_ZERO_WIDTH = {sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT}


def _char(code: int, ignore_case: bool) -> _Info:
    ch = chr(code)
    if not ch.isascii():
        return _ANY
    cs = not (ignore_case and ch.lower() != ch.upper())
    lit = (ch if cs else ch.lower(), cs)
    return _Info(frozenset({lit}), None)


def _in(items: list[tuple[Any, Any]], ignore_case: bool) -> _Info:
    chars: set[int] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            chars.add(av)
        elif op is sre_c.RANGE and av[1] - av[0] < MAX_SET:
            chars.update(range(av[0], av[1] + 1))
        else:
            return _ANY  # NEGATE, CATEGORY (\d, \w, \s), large ranges
    if len(chars) > MAX_SET:
        return _ANY
    out: set[Literal] = set()
    for code in chars:
        info = _char(code, ignore_case)
        if info.exact is None:
            return _ANY
        out |= info.exact
    return _Info(frozenset(out), None)


def _concat(a: frozenset[Literal], b: frozenset[Literal]) -> frozenset[Literal] | None:
    if len(a) * len(b) > MAX_SET:
        return None
    return frozenset(_join(x, y) for x in a for y in b)


def _join(x: Literal, y: Literal) -> Literal:
    """Two adjacent literals; mixed case sensitivity becomes case-insensitive (lower case), which is looser."""
    text = x[0] + y[0]
    cs = (x[1] or not x[0]) and (y[1] or not y[0])
    return (text, True) if cs else (text.lower(), False)


def _usable(lits: frozenset[Literal] | None) -> frozenset[Literal] | None:
    return lits if lits and all(text for text, _ in lits) else None


def _score(lits: frozenset[Literal]) -> tuple[int, int]:
    return (min(len(text) for text, _ in lits), -len(lits))


def _best(cands: Iterable[frozenset[Literal] | None]) -> frozenset[Literal] | None:
    usable = [c for c in (_usable(c) for c in cands) if c is not None]
    return max(usable, key=_score) if usable else None


def _sequence(items: list[tuple[Any, Any]], ignore_case: bool) -> _Info:
    candidates: list[frozenset[Literal] | None] = []
    cur: frozenset[Literal] | None = frozenset({("", True)})
    whole: frozenset[Literal] | None = cur
    for op, av in items:
        info = _node(op, av, ignore_case)
        candidates.append(info.required)
        whole = _concat(whole, info.exact) if whole is not None and info.exact is not None else None
        if info.exact is None:
            candidates.append(cur)
            cur = frozenset({("", True)})
            continue
        joined = _concat(cur, info.exact) if cur is not None else None
        if joined is None:
            candidates.append(cur)
            cur = info.exact
        else:
            cur = joined
    candidates.append(cur)
    if whole is not None:
        candidates.append(whole)
    return _Info(whole, _best(candidates))


def _branch(alternatives: list[Any], ignore_case: bool) -> _Info:
    infos = [_sequence(list(alt), ignore_case) for alt in alternatives]
    exact: frozenset[Literal] | None = None
    if all(i.exact is not None for i in infos):
        union = frozenset().union(*(i.exact for i in infos if i.exact is not None))
        exact = union if len(union) <= MAX_SET else None
    required: set[Literal] = set()
    for info in infos:
        own = _best([info.required, info.exact])
        if own is None:
            return _Info(exact, None)
        required |= own
    return _Info(exact, frozenset(required))


def _repeat(av: Any, ignore_case: bool) -> _Info:
    low, high, sub = av
    info = _sequence(list(sub), ignore_case)
    if high == 0:
        return _EMPTY
    if low == 0:
        if high == 1 and info.exact is not None:
            return _Info(info.exact | {("", True)}, None)
        return _ANY
    if low == high == 1:
        return info
    return _Info(None, _best([info.required, info.exact]))


def _node(op: Any, av: Any, ignore_case: bool) -> _Info:
    if op is sre_c.LITERAL:
        return _char(av, ignore_case)
    if op is sre_c.IN:
        return _in(list(av), ignore_case)
    if op in _ZERO_WIDTH:
        return _EMPTY
    if op is sre_c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        scoped = (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _sequence(list(sub), scoped)
    if op is getattr(sre_c, "ATOMIC_GROUP", None):
        return _sequence(list(av), ignore_case)
    if op is sre_c.BRANCH:
        return _branch(list(av[1]), ignore_case)
    if op in _REPEATS:
        return _repeat(av, ignore_case)
    return _ANY  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS, CATEGORY, ...


def required_literals(pattern: re.Pattern[str]) -> frozenset[Literal] | None:
    """Literals (text, case_sensitive) of which every match of `pattern` contains one, or None (unknown)."""
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    ignore_case = bool(tree.state.flags & re.IGNORECASE)
    info = _sequence(list(tree), ignore_case)
    return _best([info.required, info.exact])


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """The ASCII letter Python's case-insensitive matching equates with `ch`, else `ch` lower-cased (one
    character either way, so folded text keeps the positions of the original)."""
    for letter in ascii_letters:
        if re.fullmatch(letter, ch, re.IGNORECASE):
            return letter.lower()
    low = ch.lower()
    return low if len(low) == 1 else ch


def fold(text: str) -> str:
    """`text` as the case-insensitive literals are compared with it: lower case, ASCII look-alikes folded,
    same length and positions as `text`."""
    if text.isascii():
        return text.lower()
    return "".join(ch.lower() if ch.isascii() else _fold_char(ch) for ch in text)


class _Automaton:
    """All occurrences (overlapping) of many literals in one pass (Aho-Corasick, ahocorasick-rs)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self._ac = AhoCorasick(words, matchkind=MatchKind.Standard) if words else None

    def hits(self, text: str) -> list[tuple[int, int, int]]:
        """(word index, start, end) of every occurrence."""
        if self._ac is None or not text:
            return []
        return list(self._ac.find_matches_as_indexes(text, overlapping=True))


class GateSet:
    """Many gates checked together: one pass over the text (and one over its folded form) for all of them.

    `masks(text, split)` returns two bit masks of the gates that may match: bit i is gate i. The first counts
    only literals that end at or before `split` (a prefix of the text, e.g. the line itself before the joined
    next line), the second the whole text."""

    def __init__(self, gates: Sequence[Gate]) -> None:
        self.gates = tuple(gates)
        self.always = 0
        owners: dict[Literal, int] = {}
        for i, gate in enumerate(self.gates):
            if gate.always:
                self.always |= 1 << i
            for lit in gate.literals:
                owners[lit] = owners.get(lit, 0) | (1 << i)
        exact = sorted(lit for lit in owners if lit[1])
        folded = sorted(lit for lit in owners if not lit[1])
        self._exact = _Automaton([text for text, _ in exact])
        self._folded = _Automaton([text for text, _ in folded])
        self._exact_masks = [owners[lit] for lit in exact]
        self._folded_masks = [owners[lit] for lit in folded]

    def masks(self, text: str, split: int | None = None, folded: str | None = None) -> tuple[int, int]:
        limit = len(text) if split is None else split
        head = whole = self.always
        for automaton, owners, haystack in (
            (self._exact, self._exact_masks, text),
            (self._folded, self._folded_masks, fold(text) if folded is None else folded),
        ):
            for index, _start, end in automaton.hits(haystack):
                whole |= owners[index]
                if end <= limit:
                    head |= owners[index]
        return head, whole


class Gate:
    """A necessary condition for any of `patterns` to match: False means none of them can."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        found = [required_literals(p) for p in self.patterns]
        self.always = any(lits is None for lits in found)
        self.literals = frozenset(lit for lits in found if lits is not None for lit in lits)
        self._set: GateSet | None = None

    def may_match(self, text: str, folded: str | None = None) -> bool:
        """False only when no pattern can match `text`; `folded` = fold(text) when the caller has it."""
        if self.always:
            return True
        if self._set is None:
            self._set = GateSet([self])
        return bool(self._set.masks(text, folded=folded)[1])


class PatternIndex(Generic[T]):
    """Keyed patterns with one gate each: `candidates(text)` gives, in their order, the (key, pattern) pairs
    whose pattern may match `text` (a pair left out cannot match), from one pass over the text."""

    def __init__(self, items: Iterable[tuple[T, re.Pattern[str]]]) -> None:
        self.items = tuple(items)
        self._gates = GateSet([Gate([rx]) for _, rx in self.items])

    def candidates(self, text: str, folded: str | None = None) -> list[tuple[T, re.Pattern[str]]]:
        mask = self._gates.masks(text, folded=folded)[1]
        return [item for i, item in enumerate(self.items) if mask >> i & 1]

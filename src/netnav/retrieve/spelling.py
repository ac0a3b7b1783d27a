"""Misspelt words in questions ("diffrence", "lutathra", "everolimous") corrected against the words NETNav
knows: the lexicon's terms (drugs, diseases, tests... preferred) and its everyday words.

A word is left alone when it is short, when it is a British spelling (netnav.store.variants), or when
its Snowball stem (of its American spelling) is known (from the lexicon, or from the
search index's vocabulary when the caller passes it: every word of the built-in cards and the documents
the asker may see — never another session's private uploads), or when it is an ordinary English word
(`english_words`: "face" is not a misspelling of "fiance", nor "breast" of "breath", whatever their
distance; only a word that is no word at all gets corrected). Otherwise it is replaced by the closest
correctable word if rapidfuzz's normalised Indel similarity reaches `MIN_SIMILARITY`; a word with the
same stem as a lexicon term ("octreotid") still takes the lexicon's spelling first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from netnav.retrieve.lexicon import load_lexicon
from netnav.store.variants import us_spelling

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_STEMMER = Stemmer.Stemmer("english")
MIN_LENGTH = 4  # shorter words are left alone: too many valid neighbours
# Similarity (0-100) a correction needs; one edit in a 5-letter word scores 80, in a 9-letter word ~89.
MIN_SIMILARITY = 80.0


def stem(word: str) -> str:
    """The search term of a word, as the index makes it: American spelling, then the Snowball stem."""
    return str(_STEMMER.stemWord(us_spelling(word.lower())))


class Speller:
    """`preferred`: lexicon words (tried first); `common`: everyday words; both lower case."""

    def __init__(self, preferred: Iterable[str], common: Iterable[str]) -> None:
        self.preferred = sorted({w for w in preferred if len(w) >= MIN_LENGTH and w.isalpha()})
        self.common = sorted({w for w in common if len(w) >= MIN_LENGTH - 1} - set(self.preferred))
        self.common_set = frozenset(self.common)
        words = set(self.preferred) | set(self.common)
        self.known_stems = frozenset(stem(w) for w in words) | frozenset(words)
        self.lexicon_words = frozenset(self.preferred)
        self.by_stem: dict[str, str] = {}
        for w in sorted(self.preferred, key=len):
            self.by_stem.setdefault(stem(w), w)

    def correct_word(self, word: str, known: frozenset[str] = frozenset()) -> str | None:
        """The word `word` was probably meant to be, or None (known already, or nothing close enough)."""
        low = word.lower().replace("'", "")
        if len(low) < MIN_LENGTH or not low.isalpha() or any(ch.isupper() for ch in word[1:]):
            return None  # short words and acronyms ("PanNET", "MiNEN") are left alone
        if us_spelling(low) != low:
            return None  # a British spelling ("oedema", "tumours") is a spelling, not a typo
        root = stem(low)
        if low not in self.lexicon_words and root in self.by_stem and low not in self.common_set:
            return self.by_stem[root]  # "octreotid" -> "octreotide": same stem, the lexicon's spelling
        if low in self.known_stems or root in self.known_stems or root in known or low in known:
            return None
        if is_english(low):
            return None  # an ordinary word, spelt right: no domain reason to change it
        best = process.extractOne(low, self.preferred, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
        if best is not None:
            return str(best[0])
        # an everyday word is only worth a correction for a typing slip: one letter added, dropped,
        # changed or two swapped ("diffrence", "tierd"), never a different word ("itching" -> "thing")
        for word, _, _ in process.extract(
            low, self.common, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=5
        ):
            if OSA.distance(low, word) <= 1:
                return str(word)
        return None

    def correct(self, text: str, known: frozenset[str] = frozenset()) -> tuple[str, dict[str, str]]:
        """(text with misspelt words replaced, {typed: corrected}). `known`: extra known stems."""
        fixes: dict[str, str] = {}

        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            fixed = self.correct_word(word, known)
            if fixed is None:
                return word
            fixes[word] = fixed
            return fixed

        return _TOKEN.sub(swap, text), fixes


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Ordinary English words (and their stems) that are never taken for misspellings: the whole,
    lower-case, alphabetic entries of at least three letters of the bundled embedding model's
    WordPiece vocabulary (BERT's uncased vocabulary: ~21,000 common words with their inflections,
    e.g. "face", "breast", "shoulder", "treated"). Empty (no protection) when the model package is not
    installed. Loaded once per process (about 10 ms)."""
    from netnav.embed._integrity import default_model_dir
    from netnav.errors import NetNavError

    try:
        text = (default_model_dir() / "vocab.txt").read_text(encoding="utf-8")
    except (OSError, NetNavError):
        return frozenset()
    return frozenset(w for w in text.split() if len(w) >= 3 and w.isascii() and w.isalpha() and w.islower())


def is_english(word: str) -> bool:
    """`word` (lower case) or a plain inflection of it ("itching" -> "itch") is in `english_words`."""
    english = english_words()
    if word in english:
        return True
    for suffix, base in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and word[: -len(suffix)] + base in english:
            return True
    return False


def _words(text: str) -> list[str]:
    return [w.lower() for w in _TOKEN.findall(text)]


@lru_cache(maxsize=1)
def speller() -> Speller:
    """Built once per process from the lexicon (a few milliseconds)."""
    lex = load_lexicon().lexicon
    preferred: list[str] = []
    for concept in lex.with_lay_synonyms():
        for term in [concept.canonical, *concept.synonyms]:
            preferred.extend(_words(term))
    common = [w.lower() for w in [*lex.common_words, *lex.filler_words, *lex.domain_words]]
    common += [a.lower() for concept in lex.concepts for a in concept.acronyms]
    common += _words(" ".join(lex.question_words))
    return Speller(preferred, common)

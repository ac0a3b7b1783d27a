"""British -> American spelling of single words, the first step of the text analyzer (see
netnav.store.index.tokenize): "tumour" and "tumor", "oesophageal" and "esophageal", "metastasise" and
"metastasize" become the same search term, both when documents are indexed and when questions are asked.

The correspondences are data (``data/spelling_variants.yaml``, with its sources): whole words, word
fragments that occur only in British spellings ("haem", "oesophag", "tumour", "centre"...), and the
roots whose "-ise"/"-yse" verbs take "-ize"/"-yze". `ANALYZER_ID` names this table: a search index
records it, and one built with another table is rebuilt instead of being searched with mismatched terms.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import ValidationError

from netnav.datafiles import load_yaml
from netnav.errors import KnowledgeError
from netnav.types.base import Frozen

_ENDINGS = "e|ed|es|ing|ation|ations|ational|er|ers|able"


class _VariantFile(Frozen):
    version: int
    fragments: dict[str, str]
    ise_roots: list[str]
    yse_roots: list[str]
    words: dict[str, str]


@dataclass(frozen=True)
class _Table:
    words: dict[str, str]
    fragments: dict[str, str]
    fragment_re: re.Pattern[str]
    suffix_re: re.Pattern[str]
    digest: str


def _text() -> str:
    return (resources.files("netnav.store") / "data" / "spelling_variants.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _table() -> _Table:
    """The parsed table; raises KnowledgeError when the data file is malformed."""
    text = _text()
    try:
        data = _VariantFile.model_validate(load_yaml(text))
    except (yaml.YAMLError, ValidationError) as exc:
        raise KnowledgeError(f"spelling_variants.yaml is invalid: {exc}") from exc
    frags = sorted(data.fragments, key=len, reverse=True)
    roots = "|".join(sorted({*data.ise_roots, *data.yse_roots}, key=len, reverse=True))
    return _Table(
        words=dict(data.words),
        fragments=dict(data.fragments),
        fragment_re=re.compile("|".join(re.escape(f) for f in frags)),
        suffix_re=re.compile(rf"({roots})(is|ys)({_ENDINGS})$"),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
    )


def _suffix(match: re.Match[str]) -> str:
    root, infix, ending = match.group(1), match.group(2), match.group(3)
    return f"{root}{'iz' if infix == 'is' else 'yz'}{ending}"


@lru_cache(maxsize=1 << 16)
def us_spelling(word: str) -> str:
    """The American spelling of one lower-case word ("tumours" -> "tumors", "haemorrhage" ->
    "hemorrhage", "hospitalisation" -> "hospitalization"); any other word unchanged."""
    table = _table()
    whole = table.words.get(word)
    if whole is not None:
        return whole
    out = table.fragment_re.sub(lambda m: table.fragments[m.group(0)], word)
    return table.suffix_re.sub(_suffix, out)


_WORD = re.compile(r"[A-Za-z]+")


def _american_word(match: re.Match[str]) -> str:
    word = match.group(0)
    us = us_spelling(word.lower())
    if us == word.lower():
        return word
    if word.isupper() and len(word) > 1:
        return us.upper()
    return us[0].upper() + us[1:] if word[0].isupper() else us


def american(text: str) -> str:
    """`text` with every British spelling made American, capitals kept ("Oesophageal tumours" ->
    "Esophageal tumors"); for matching and embedding a question, never for showing it."""
    return _WORD.sub(_american_word, text)


def analyzer_id() -> str:
    """Names the text analyzer: stemmer, stopwords and this spelling table's content digest."""
    return f"snowball-english+bm25s-en-stopwords+us-spelling-{_table().digest}"

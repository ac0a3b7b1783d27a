"""Column lists and row -> domain conversions shared by the PostgreSQL store and search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from netnav.types.documents import Document, Passage

DOC_COLUMNS = "id, kind, title, source_path, format, publisher, year, version, identifiers, status, meta"
PASSAGE_COLUMNS = 'id, doc_id, ordinal, text, start, "end", page, section, plain, meta'


def _json(value: Any) -> Any:
    """jsonb arrives decoded; text (older rows, other drivers) is decoded here."""
    if isinstance(value, str):
        import json

        return json.loads(value)
    return value if value is not None else {}


def passage_of(row: Sequence[Any]) -> Passage:
    """A Passage from the PASSAGE_COLUMNS of one row."""
    return Passage(
        id=str(row[0]),
        doc_id=str(row[1]),
        ordinal=int(row[2]),
        text=str(row[3]),
        start=int(row[4]),
        end=int(row[5]),
        page=None if row[6] is None else int(row[6]),
        section=None if row[7] is None else str(row[7]),
        plain=None if row[8] is None else str(row[8]),
        meta=_json(row[9]),
    )


def document_of(row: Sequence[Any]) -> Document:
    """A Document from the DOC_COLUMNS of one row."""
    return Document.model_validate(
        {
            "id": row[0],
            "kind": row[1],
            "title": row[2],
            "source_path": row[3],
            "format": row[4],
            "publisher": row[5],
            "year": row[6],
            "version": row[7],
            "identifiers": _json(row[8]),
            "status": row[9],
            "meta": _json(row[10]),
        }
    )

"""The per-session case store: atomic writes, strict ids, delete-all."""

from __future__ import annotations

from pathlib import Path

import pytest

from netnav.cases import CaseStore, is_session_id, new_session_id, session_digest
from netnav.errors import BadInputError, CaseNotFoundError
from netnav.fileio import atomic_write
from netnav.types.case import CaseProfile, FieldValue

SESSION = "0123456789abcdef0123456789abcdef"


def _profile(case_id: str = "case-0123456789abcdef") -> CaseProfile:
    return CaseProfile(
        case_id=case_id,
        fields={"ki67_percent": FieldValue(value=12.0, unit="%", text="Ki-67: 12%", source="r.txt", line=3)},
    )


def test_save_load_list_delete(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "cases")
    path = store.save(SESSION, _profile())
    assert path == tmp_path / "cases" / session_digest(SESSION) / "case-0123456789abcdef.json"
    assert SESSION not in str(path), "a folder name must not be a usable session id"
    assert (
        path.parent.stat().st_mode & 0o777 == 0o700 and (tmp_path / "cases").stat().st_mode & 0o777 == 0o700
    )
    assert store.load(SESSION, "case-0123456789abcdef") == _profile()
    assert store.list_ids(SESSION) == ["case-0123456789abcdef"]
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]
    assert store.delete_all(SESSION) == 1
    assert store.list_ids(SESSION) == [] and not path.parent.exists()
    with pytest.raises(CaseNotFoundError):
        store.load(SESSION, "case-0123456789abcdef")


@pytest.mark.parametrize("case_id", ["../x", "..", "a/b", "", "x" * 81, ".hidden"])
def test_case_ids_cannot_escape(tmp_path: Path, case_id: str) -> None:
    with pytest.raises(CaseNotFoundError):
        CaseStore(tmp_path).load(SESSION, case_id)


@pytest.mark.parametrize("session", ["../" + SESSION[3:], "", "ABCDEF" * 6, SESSION + "0"])
def test_sessions_must_be_hex_tokens(tmp_path: Path, session: str) -> None:
    assert not is_session_id(session)
    with pytest.raises(BadInputError):
        CaseStore(tmp_path).save(session, _profile())


def test_new_sessions_are_valid_and_distinct() -> None:
    a, b = new_session_id(), new_session_id()
    assert is_session_id(a) and is_session_id(b) and a != b


def test_atomic_write_keeps_old_content_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    atomic_write(target, "old")

    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]

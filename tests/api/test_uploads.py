"""Upload file names: only a sanitised basename survives."""

from __future__ import annotations

import pytest

from netnav.api.uploads import safe_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.ini.txt", "boot.ini.txt"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("/abs/path/r.md", "r.md"),
        ("re<po>rt?.txt", "re_po_rt_.txt"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("..", "upload.txt"),
        ("", "upload.txt"),
        (None, "upload.txt"),
        ("a..b.txt", "a.b.txt"),
        (".hidden.txt", "hidden.txt"),
    ],
)
def test_safe_name(raw: str | None, expected: str) -> None:
    assert safe_name(raw) == expected


def test_long_names_keep_their_extension() -> None:
    name = safe_name("x" * 300 + ".pdf")
    assert len(name) <= 120 and name.endswith(".pdf") and "/" not in name

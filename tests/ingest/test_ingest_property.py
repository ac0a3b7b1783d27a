"""Property: arbitrary input never raises anything but BadInputError; offsets always hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netnav.errors import BadInputError
from netnav.ingest import parse_bytes
from tests.ingest.ingest_helpers import assert_offsets

NAMES = st.sampled_from(["x.txt", "x.md", "x.html", "x.xml", "x.json", "x.pdf", "upload", "x.htm"])
TEXTISH = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=600)
MARKUPISH = st.lists(
    st.sampled_from(
        [
            "# Head\n",
            "## Sub\n",
            "| a | b |\n",
            "| --- |\n",
            "- item\n",
            "1. one\n",
            "\n\n",
            "text. ",
            "Dr. X. ",
            "[link](http://x)",
            "**b**",
            "---\n",
            "<p>",
            "</p>",
            "<h2>",
            "{",
            "}",
            "<",
            ">",
            "&amp;",
            "```\n",
            "Inclusion Criteria:\n",
            "%PDF-",
            "\x00",
            "\ufeff",
            "é",
            " ",
            "word ",
        ]
    ),
    max_size=80,
).map("".join)


def _check(data: bytes, name: str) -> None:
    try:
        parsed = parse_bytes(data, name)
    except BadInputError:
        return
    assert parsed.passages
    assert_offsets(parsed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTISH, name=NAMES)
def test_random_text(text: str, name: str) -> None:
    _check(text.encode("utf-8"), name)


@settings(max_examples=150, deadline=None)
@given(text=MARKUPISH, name=NAMES)
def test_random_markup(text: str, name: str) -> None:
    _check(text.encode("utf-8"), name)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400), name=NAMES)
def test_random_bytes(data: bytes, name: str) -> None:
    _check(data, name)

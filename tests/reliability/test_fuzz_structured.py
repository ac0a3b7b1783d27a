"""Structure-aware fuzzing of the XML/JSON parsers (PubMed, FDA SPL, ClinicalTrials.gov v2 JSON and classic XML).

tests/ingest fuzzes random bytes and text, which almost never form valid XML/JSON, so the field-extraction
code behind the syntax check is rarely reached. Here real fixtures are mutated *inside* their structure:
values replaced by other JSON types, element text replaced, elements removed or duplicated, attributes set.
Only BadInputError (ingest) or NetNavError (trial registry parser) may come out.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from netnav.errors import BadInputError, NetNavError
from netnav.ingest import parse_bytes_all
from netnav.trials.ctgov import parse_ctgov_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "ingest" / "fixtures"
EXAMPLES = int(os.environ.get("NETNAV_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False),
        SAFE_TEXT,
        st.sampled_from(["", "RECRUITING", "2024-13-45", "PHASE2", "NCT0", "Inclusion Criteria:\n* x"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(SAFE_TEXT, inner, max_size=3)),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _replace(root: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return root


def _parse_all_ways(data: bytes, name: str, trials: bool = True) -> None:
    try:
        for parsed in parse_bytes_all(data, name):
            for p in parsed.passages:
                assert parsed.full_text[p.start : p.end] == p.text
    except BadInputError:
        pass
    if trials:
        with contextlib.suppress(NetNavError):
            parse_ctgov_bytes(data, name)


TRIAL_JSON = json.loads((FIXTURES / "trial_v2.json").read_text(encoding="utf-8"))
TRIAL_PATHS = _paths(TRIAL_JSON)


def _mutated_trial(mutations: list[tuple[int, Any]], wrap: bool) -> bytes:
    doc = copy.deepcopy(TRIAL_JSON)
    for index, value in mutations:
        try:
            doc = _replace(doc, TRIAL_PATHS[index], value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    return json.dumps({"studies": [doc, doc]} if wrap else doc).encode()


MUTATIONS = st.lists(st.tuples(st.integers(0, len(TRIAL_PATHS) - 1), JSON_VALUES), min_size=1, max_size=4)


@FUZZ
@given(MUTATIONS, st.booleans())
def test_ctgov_json_with_mutated_fields_ingest_parser(mutations: list[tuple[int, Any]], wrap: bool) -> None:
    _parse_all_ways(_mutated_trial(mutations, wrap), "trial.json", trials=False)


@FUZZ
@given(MUTATIONS, st.booleans())
def test_ctgov_json_with_mutated_fields_trial_parser(mutations: list[tuple[int, Any]], wrap: bool) -> None:
    _parse_all_ways(_mutated_trial(mutations, wrap), "trial.json")


def test_ingest_survives_a_malformed_ctgov_record(tmp_path: Path, built_home: Path) -> None:
    """One CT.gov file with `"overallStatus": true` must fail alone; the other files still go in."""
    from netnav.engine import Engine
    from tests.reliability.helpers import seed_embedding_cache

    folder = tmp_path / "in"
    folder.mkdir()
    bad = copy.deepcopy(TRIAL_JSON)
    bad["protocolSection"]["statusModule"]["overallStatus"] = True
    (folder / "a_trial.json").write_text(json.dumps(bad), encoding="utf-8")
    (folder / "b_note.md").write_text(
        "# Note\n\nLanreotide is a somatostatin analogue for carcinoid syndrome.\n", encoding="utf-8"
    )
    home = tmp_path / "home"
    seed_embedding_cache(built_home, home)
    engine = Engine(home)
    try:
        report = engine.ingest([folder])
    finally:
        engine.close()
    assert any(i.path.endswith("b_note.md") and i.outcome == "added" for i in report.items)


XML_FIXTURES = {
    name: (FIXTURES / name).read_bytes() for name in ("pubmed.xml", "label.xml", "trial_classic.xml")
}


@FUZZ
@given(
    st.sampled_from(sorted(XML_FIXTURES)),
    st.lists(
        st.tuples(
            st.sampled_from(["text", "remove", "duplicate", "attr", "tail"]), st.integers(0, 10**6), SAFE_TEXT
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_xml_records_with_mutated_elements(name: str, mutations: list[tuple[str, int, str]]) -> None:
    root = etree.fromstring(XML_FIXTURES[name])
    for op, pick, text in mutations:
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        target = elements[pick % len(elements)]
        parent = target.getparent()
        clean = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)
        if op == "text":
            target.text = clean
        elif op == "remove" and parent is not None:
            parent.remove(target)
        elif op == "duplicate" and parent is not None:
            parent.append(copy.deepcopy(target))
        elif op == "attr":
            target.set("Label", clean)
        elif op == "tail" and parent is not None:
            target.tail = clean
    _parse_all_ways(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), name)


FHIR_BUNDLE = json.loads(
    (FIXTURES.parent.parent / "records" / "fixtures" / "f06-fhir-bundle.json").read_text(encoding="utf-8")
)
FHIR_PATHS = _paths(FHIR_BUNDLE)


def _extract_checked(text: str) -> None:
    from netnav.records import extract_text

    try:
        profile = extract_text(text, "bundle.json")
    except BadInputError:
        return
    for value in profile.fields.values():
        assert value.source == "bundle.json" and value.line >= 1


def test_fhir_observation_with_null_coding_is_bad_input_not_a_crash() -> None:
    """Regression: records.fhir raised AttributeError here (`netnav extract` exited 1)."""
    doc = copy.deepcopy(FHIR_BUNDLE)
    _replace(doc, ("entry", 3, "resource", "code", "coding"), [None])
    _extract_checked(json.dumps(doc, indent=1))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(FHIR_PATHS) - 1), JSON_VALUES), min_size=1, max_size=4))
def test_fhir_bundle_with_mutated_fields(mutations: list[tuple[int, Any]]) -> None:
    doc = copy.deepcopy(FHIR_BUNDLE)
    for index, value in mutations:
        try:
            doc = _replace(doc, FHIR_PATHS[index], value)
        except (KeyError, IndexError, TypeError):
            continue
    _extract_checked(json.dumps(doc, indent=1))

"""The house's floors, enforced: every import of a netnav module (function-level ones included) points down
or sideways, never up; no import circles; `types` stands on nothing but `errors`; the edges (CLI, REST,
web) reach the rest only through the Engine, the types and the renderers.

Floors, top to bottom (a module may import its own floor and the floors below it):

    cli  ->  app  ->  web  ->  api  ->  engine
         ->  answer / records / rules / trials / retrieve (+ personal, conversation, ingest_service, eval)
         ->  store / embed / ingest / knowledge (+ cases, datafiles, testing)
         ->  types  ->  errors / settings / fileio / netnav (package root)

A new top-level module or package must be given its floor in FLOORS below.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.structure.imports import Edge, cycles, edges, modules

FLOORS: dict[str, int] = {
    "netnav.__main__": 0,
    "netnav.cli": 0,
    "netnav.resident": 0,  # the resident engine process answering the CLI (an edge, like the CLI)
    "netnav.resident_client": 1,  # how the CLI reaches a resident engine
    "netnav.app": 1,
    "netnav.web": 2,
    "netnav.api": 3,
    "netnav.engine": 4,
    "netnav.jobs": 4,  # the worker pool that runs Engine jobs for the API and the web pages
    "netnav.transfer": 4,  # netnav export / import: a whole library between backends, through an Engine
    "netnav.answer": 5,
    "netnav.records": 5,
    "netnav.rules": 5,
    "netnav.trials": 5,
    "netnav.retrieve": 5,
    "netnav.personal": 5,
    "netnav.conversation": 5,
    "netnav.casebook": 5,
    "netnav.ingest_service": 5,
    "netnav.eval": 5,
    "netnav.guard": 5,
    "netnav.store": 6,
    "netnav.embed": 6,
    "netnav.ingest": 6,
    "netnav.knowledge": 6,
    "netnav.cases": 6,
    "netnav.datafiles": 6,
    "netnav.testing": 6,
    "netnav.types": 7,
    "netnav.errors": 8,
    "netnav.settings": 8,
    "netnav.fileio": 8,
    "netnav": 8,
}
EDGES = ("netnav.cli", "netnav.app", "netnav.web", "netnav.api", "netnav.__main__")
# What the edges may use below the Engine: presentation of results (renderers), the eval runner, and the
# per-session state of the REST API and the web pages (the case store with its session ids, and the
# memory of each conversation's last question).
EDGE_MAY_USE = (
    "netnav.answer.render",
    "netnav.trials.render",
    "netnav.casebook.summary",
    "netnav.casebook.timeline",
    "netnav.casebook.plots",
    "netnav.casebook.pdf",
    "netnav.casebook.formats",
    "netnav.casebook.tasks",  # the job entry point the REST API queues (runs in a worker process)
    "netnav.eval",
    "netnav.cases",
    "netnav.conversation",
    # the server's job runner (long work off the request path) and its request/connection limits
    "netnav.jobs",
    "netnav.guard",
    # netnav export / import (the CLI runs them; they work through an Engine)
    "netnav.transfer",
)

# Known violations, each owned by a piece of work that removes it. This list only shrinks: an entry that
# no longer occurs fails the test too, so it is deleted the moment its fix lands.
ALLOWED_CYCLES: list[list[str]] = []
ALLOWED_EDGE_IMPORTS: set[tuple[str, str]] = set()


def floor_of(module: str) -> int:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in FLOORS:
            return FLOORS[key]
    raise KeyError(module)


def _unit(module: str) -> str:
    """The top-level module or package a module belongs to (netnav.api.routes -> netnav.api)."""
    return ".".join(module.split(".")[:2])


def test_every_module_has_a_floor() -> None:
    missing = sorted({_unit(m) for m in modules() if not any(_has_floor(m) for _ in [0])})
    assert not missing, f"give these a floor in FLOORS ({__file__}): {missing}"


def _has_floor(module: str) -> bool:
    try:
        floor_of(module)
    except KeyError:
        return False
    return True


def _show(e: Edge) -> str:
    where = "in a function" if e.in_function else "at module level"
    return f"{e.importer} (line {e.line}, {where}) imports {e.imported}"


def test_no_import_points_up() -> None:
    upward = [
        _show(e)
        for e in edges()
        if _has_floor(e.importer) and _has_floor(e.imported) and floor_of(e.imported) < floor_of(e.importer)
    ]
    assert upward == []


def test_types_stand_on_errors_only() -> None:
    bad = [
        _show(e)
        for e in edges()
        if _unit(e.importer) == "netnav.types" and _unit(e.imported) not in ("netnav.types", "netnav.errors")
    ]
    assert bad == []
    assert [
        _show(e) for e in edges() if e.importer in ("netnav.errors", "netnav.settings", "netnav.fileio")
    ] == []


def test_the_edges_reach_the_rest_only_through_the_engine() -> None:
    bad = []
    for e in edges():
        if _unit(e.importer) not in EDGES or _unit(e.imported) in EDGES:
            continue
        if floor_of(e.imported) >= FLOORS["netnav.types"] or _unit(e.imported) == "netnav.engine":
            continue
        if e.imported.startswith(EDGE_MAY_USE) or (e.importer, e.imported) in ALLOWED_EDGE_IMPORTS:
            continue
        bad.append(_show(e))
    assert bad == []


def test_api_never_imports_web() -> None:
    assert [
        _show(e) for e in edges() if _unit(e.importer) == "netnav.api" and _unit(e.imported) == "netnav.web"
    ] == []


def test_no_import_circles() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for e in edges():
        graph[e.importer].add(e.imported)
    found = cycles(graph)
    new = [c for c in found if c not in ALLOWED_CYCLES]
    assert new == [], f"import circles: {new}"
    gone = [c for c in ALLOWED_CYCLES if c not in found]
    assert gone == [], f"fixed: delete from ALLOWED_CYCLES: {gone}"


def test_no_circles_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for e in edges():
        a, b = _unit(e.importer), _unit(e.imported)
        if a != b:
            graph[a].add(b)
    assert cycles(graph) == []


def test_allowed_edge_imports_still_occur() -> None:
    seen = {(e.importer, e.imported) for e in edges()}
    gone = sorted(ALLOWED_EDGE_IMPORTS - seen)
    assert gone == [], f"fixed: delete from ALLOWED_EDGE_IMPORTS: {gone}"


@pytest.mark.parametrize(
    ("edge", "expected"),
    [
        (Edge("netnav.rules.engine", "netnav.engine", 1, True), True),
        (Edge("netnav.engine", "netnav.rules.engine", 1, False), False),
        (Edge("netnav.api.errors", "netnav.web.render", 1, True), True),
        (Edge("netnav.web.pages", "netnav.api.security", 1, False), False),
    ],
)
def test_the_floor_rule_itself(edge: Edge, expected: bool) -> None:
    assert (floor_of(edge.imported) < floor_of(edge.importer)) is expected

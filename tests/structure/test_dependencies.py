"""Every third-party module imported by src/netnav, tests/ or benchmarks/ is declared in pyproject.toml and pinned
in constraints.txt, so a clean checkout installs what the code needs (CI builds its own virtualenv from those two
files; anything installed by hand in a shared virtualenv is absent there).

src/netnav may use only [project] dependencies; tests/ and benchmarks/ may also use the `dev` extra. Imports are
read with `ast` (function-level ones included); a module that sits beside the importing script (benchmarks run as
scripts) counts as local.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"netnav", "tests", "benchmarks", "__future__"}
# Scripts documented as not run by the suite, needing their own virtualenv: make_reference.py needs torch and
# sentence-transformers (see its docstring).
OUTSIDE = {ROOT / "tests" / "embed" / "make_reference.py"}


def _norm(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert match, f"unreadable requirement {spec!r} in pyproject.toml"
    return _norm(match.group(1))


@lru_cache(maxsize=1)
def _declared() -> tuple[frozenset[str], frozenset[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = frozenset(_requirement_name(s) for s in project["dependencies"])
    dev = frozenset(_requirement_name(s) for s in project["optional-dependencies"]["dev"])
    return runtime, dev


def _pinned() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"constraints.txt line is not an exact pin: {line!r}"
            pins[_norm(name)] = version.strip()
    return pins


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def _third_party(folder: str) -> dict[str, list[str]]:
    """Top-level third-party module -> where it is imported ("path:line")."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        if path in OUTSIDE:
            continue
        for module, line in _imports(path):
            local = (path.parent / f"{module}.py").exists() or (path.parent / module).is_dir()
            if module in FIRST_PARTY or module in sys.stdlib_module_names or local:
                continue
            found.setdefault(module, []).append(f"{path.relative_to(ROOT)}:{line}")
    return found


@lru_cache(maxsize=1)
def _module_owners() -> dict[str, list[str]]:
    return dict(packages_distributions())


def _distributions(module: str) -> set[str]:
    return {_norm(d) for d in _module_owners().get(module, [])}


@pytest.mark.parametrize(("folder", "extras"), [("src/netnav", False), ("tests", True), ("benchmarks", True)])
def test_every_import_is_a_declared_dependency(folder: str, extras: bool) -> None:
    runtime, dev = _declared()
    allowed = runtime | dev if extras else runtime
    problems = []
    for module, where in sorted(_third_party(folder).items()):
        dists = _distributions(module)
        if not dists:
            problems.append(f"{module}: not installed by any distribution ({where[0]})")
        elif not dists & allowed:
            kind = "[project] dependencies or the dev extra" if extras else "[project] dependencies"
            problems.append(f"{module} (from {sorted(dists)}): not in {kind} of pyproject.toml ({where[0]})")
    assert not problems, "\n".join(problems)


def test_every_declared_dependency_is_pinned() -> None:
    runtime, dev = _declared()
    pins = _pinned()
    missing = sorted((runtime | dev) - pins.keys())
    assert not missing, f"declared in pyproject.toml but not pinned in constraints.txt: {missing}"

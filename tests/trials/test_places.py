"""Trial sites and distances, offline (GeoNames city list), and `--near` / `--within` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import netnav.cli.trials as trials_cli
from netnav.errors import BadInputError
from netnav.trials.ctgov import parse_ctgov_bytes
from netnav.trials.match import match_trials
from netnav.trials.places import distance_km, parse_radius, resolve_place, sites_near
from netnav.trials.registry import TrialRegistry
from netnav.types.trials import Site
from tests.trials.helpers import nec_case, pnet_case

FIX = Path(__file__).parent / "fixtures" / "ctgov_v2"
LEEDS = (53.79648, -1.54785)


def _app() -> typer.Typer:
    app = typer.Typer()
    trials_cli.register(app)
    app.command("other")(lambda: None)  # a second command keeps `trials` a named sub-command
    return app


def _registry(tmp_path: Path) -> TrialRegistry:
    registry = TrialRegistry(tmp_path)
    for name in ("pnet-page1.json", "merkel-page1.json"):
        registry.add(parse_ctgov_bytes((FIX / name).read_bytes(), name))
    studies = json.loads((FIX / "pnet-page2.json").read_text())["studies"][1:]
    registry.add(parse_ctgov_bytes(json.dumps({"studies": studies}).encode(), "page2"))
    return registry


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("Leeds, UK", 53.80, -1.55),
        ("leeds", 53.80, -1.55),
        ("Manchester, United Kingdom", 53.48, -2.24),
        ("Boston, USA", 42.36, -71.06),
        ("London, GB", 51.51, -0.13),
        ("London, Canada", 42.98, -81.23),
        ("53.8,-1.5", 53.8, -1.5),
    ],
)
def test_resolve_place(text: str, lat: float, lon: float) -> None:
    got = resolve_place(text)
    assert got == pytest.approx((lat, lon), abs=0.05)


@pytest.mark.parametrize("text", ["", "Xqzzyville", "Leeds, Narnia", "95,10"])
def test_unknown_place_is_bad_input(text: str) -> None:
    with pytest.raises(BadInputError):
        resolve_place(text)


@pytest.mark.parametrize(
    ("text", "km"), [("200km", 200.0), ("200 km", 200.0), ("100mi", 160.9344), ("50", 50.0)]
)
def test_parse_radius(text: str, km: float) -> None:
    assert parse_radius(text) == pytest.approx(km)


@pytest.mark.parametrize("text", ["far", "-5km", "0", "10 parsecs"])
def test_bad_radius(text: str) -> None:
    with pytest.raises(BadInputError):
        parse_radius(text)


def test_distance_leeds_london_is_about_270km() -> None:
    assert distance_km(LEEDS, (51.50853, -0.12574)) == pytest.approx(272, abs=5)


def test_sites_near_orders_filters_and_uses_city_when_no_geo_point() -> None:
    sites = [
        Site(facility="A", city="London", country="United Kingdom", status="Recruiting"),  # no geo point
        Site(facility="B", city="Leeds", country="United Kingdom", status="Recruiting", lat=53.8, lon=-1.52),
        Site(facility="C", city="Leeds", country="United Kingdom", status="Completed", lat=53.8, lon=-1.52),
        Site(facility="D", city="Nowhere-on-map", country="United Kingdom"),
    ]
    near = sites_near(sites, LEEDS, 300)
    assert [s.facility for s in near] == ["B", "A"]
    assert near[0].distance_km is not None and near[0].distance_km < 5
    assert [s.facility for s in sites_near(sites, LEEDS, 100)] == ["B"]


def test_match_near_gives_nearest_open_sites_placed_by_city(tmp_path: Path) -> None:
    """The recorded records give sites without geo points: each is placed by its city, offline."""
    registry = _registry(tmp_path)
    cambridge = resolve_place("Cambridge, USA")
    matches = match_trials(pnet_case(), registry=registry, near=(cambridge, 200.0))
    ids = [m.nct_id for m in matches]
    assert "NCT04919226" in ids and "NCT02683941" not in ids  # a trial no longer recruiting is not offered
    compose = next(m for m in matches if m.nct_id == "NCT04919226")
    assert [s.city for s in compose.sites] == ["Boston"]  # Aurora, Colorado is beyond 200 km
    assert compose.sites[0].distance_km is not None and compose.sites[0].distance_km < 10
    assert all(m.sites for m in matches)  # built-in entries list no sites, so none is "near"
    everywhere = match_trials(pnet_case(), registry=registry, near=(cambridge, None))
    far = next(m for m in everywhere if m.nct_id == "NCT04919226")
    assert [s.city for s in far.sites] == ["Boston", "Aurora"]  # nearest first
    assert far.sites[1].distance_km is not None and 2700 < far.sites[1].distance_km < 2900


def test_cli_near_within_json(tmp_path: Path) -> None:
    _registry(tmp_path)
    case_file = tmp_path / "case.json"
    case_file.write_text(nec_case().model_dump_json(), encoding="utf-8")
    args = ["trials", "--case", str(case_file), "--home", str(tmp_path), "--near", "Oakland, USA"]
    result = CliRunner().invoke(_app(), [*args, "--within", "50km", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    dll3 = next(m for m in payload if m["nct_id"] == "NCT05882058")
    assert dll3["sites"][0]["city"] == "San Francisco" and 10 < dll3["sites"][0]["distance_km"] < 20
    assert dll3["last_update"] == "2025-11-12"
    text = CliRunner().invoke(_app(), args)
    assert "km: University of California, San Francisco, San Francisco" in text.output
    bad = CliRunner().invoke(_app(), ["trials", "--case", str(case_file), "--within", "200km"])
    assert bad.exit_code == 2 and "--near" in bad.output


def test_all_statuses_lists_closed_trials_last(tmp_path: Path) -> None:
    registry = _registry(tmp_path)
    default = [m.nct_id for m in match_trials(pnet_case(), registry=registry)]
    everything = match_trials(pnet_case(), registry=registry, status="all")
    assert "NCT02683941" not in default
    statuses = [(m.overall_status or "").lower() for m in everything]
    first_closed = next(i for i, s in enumerate(statuses) if s not in ("recruiting", "not yet recruiting"))
    assert all(s not in ("recruiting", "not yet recruiting") for s in statuses[first_closed:])

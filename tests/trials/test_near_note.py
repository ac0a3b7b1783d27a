"""A search near a place that finds no trial says why: nothing fits, no trial lists its sites (the built-in
list carries none, so nothing is known about sites near the place and the trials are listed without
distances), or no open site is in reach (the nearest one is named)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import typer
from typer.testing import CliRunner

import netnav.cli.trials as trials_cli
from netnav.api.state import AppState
from netnav.trials.ctgov import parse_ctgov_bytes
from netnav.trials.registry import TrialRegistry
from netnav.trials.render import empty_near_note, lists_no_sites, render_matches
from netnav.types.trials import Site, TrialMatch
from tests.trials.helpers import pnet_case

FIX = Path(__file__).parent / "fixtures" / "ctgov_v2"


def _app() -> typer.Typer:
    app = typer.Typer()
    trials_cli.register(app)
    app.command("other")(lambda: None)  # a second command keeps `trials` a named sub-command
    return app


def _match(nct_id: str, *sites: Site) -> TrialMatch:
    return TrialMatch(
        nct_id=nct_id, title="t", status="possibly_eligible", score=0.5, criteria=[], sites=list(sites)
    )


def test_no_trial_fits() -> None:
    assert "listed for this case" in empty_near_note([], [], "Leeds, UK", "200km")


def test_no_trial_lists_sites_says_nothing_is_known_about_sites() -> None:
    shown = [_match("NCT1"), _match("NCT2")]
    assert (
        lists_no_sites(shown) and not lists_no_sites([]) and not lists_no_sites([_match("N", Site(city="X"))])
    )
    note = empty_near_note(shown, [], "Leeds, UK", "200km")
    assert "None of the 2 trial(s)" in note and "does not mean there is no site near Leeds, UK" in note
    assert "in reach" not in note


def test_none_in_reach_names_the_nearest_open_site() -> None:
    shown = [_match("NCT1", Site(city="Boston")), _match("NCT2")]
    far = Site(facility="Far Hospital", city="Aurora", country="United States", distance_km=7306.5)
    near = Site(
        facility="Dana-Farber Cancer Institute", city="Boston", country="United States", distance_km=5099.1
    )
    note = empty_near_note(shown, [_match("NCT1", near, far)], "Leeds, UK", "200km")
    assert note.startswith(
        "No open trial in NETNav's registry has a site in reach of Leeds, UK within 200km."
    )
    assert "5099.1 km away (Dana-Farber Cancer Institute, Boston, United States; NCT1)" in note
    unplaced = empty_near_note(shown, [], "Leeds, UK", None)
    assert "in reach of Leeds, UK." in unplaced and "None of the sites listed is open" in unplaced


def test_render_prints_the_note_before_the_trials_or_instead_of_no_trials() -> None:
    assert "No trials to show" in render_matches([], "snap")
    text = render_matches([_match("NCT9")], "snap", note="A note.")
    assert text.index("A note.") < text.index("NCT9")
    assert "No trials to show" not in render_matches([], "snap", note="A note.")


def test_cli_near_with_the_built_in_list_explains_and_lists_trials(tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(pnet_case().model_dump_json(), encoding="utf-8")
    args = ["trials", "--case", str(case_file), "--home", str(tmp_path), "--brief"]
    plain = CliRunner().invoke(_app(), args)
    near = CliRunner().invoke(_app(), [*args, "--near", "Leeds, UK", "--within", "200km"])
    assert near.exit_code == 0, near.output
    assert "does not mean there is no site near Leeds, UK" in near.output
    assert "netnav trials update" in near.output and "No trials to show" not in near.output
    listed = [line.split()[1] for line in plain.output.splitlines() if line[:1].isdigit() and ". NCT" in line]
    assert listed and all(nct in near.output for nct in listed)  # the same trials, without distances


def test_cli_near_with_sites_out_of_reach_names_the_nearest(tmp_path: Path) -> None:
    TrialRegistry(tmp_path).add(parse_ctgov_bytes((FIX / "pnet-page1.json").read_bytes(), "pnet-page1.json"))
    case_file = tmp_path / "case.json"
    case_file.write_text(pnet_case().model_dump_json(), encoding="utf-8")
    args = [
        "trials",
        "--case",
        str(case_file),
        "--home",
        str(tmp_path),
        "--near",
        "Leeds, UK",
        "--within",
        "200km",
    ]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert (
        "No open trial in NETNav's registry has a site in reach of Leeds, UK within 200km." in result.output
    )
    assert "km away (Dana-Farber Cancer Institute, Boston, United States; NCT04919226)" in result.output


class _State:
    """Stands in for the web's AppState: the built-in list (no sites) for any search."""

    def __init__(self, matches: list[TrialMatch]) -> None:
        self.matches = matches

    def trials(
        self, case: object, near: str | None = None, within: str | None = None, owner: object = None
    ) -> list[TrialMatch]:
        return [] if near else self.matches


def test_web_near_with_no_sites_lists_the_trials_with_the_note() -> None:
    from netnav.web.nearby import nearby_trials
    from netnav.web.render import environment

    got = nearby_trials(
        cast(AppState, _State([_match("NCT1"), _match("NCT2")])), pnet_case(), "Leeds, UK", "200km"
    )
    assert [m.nct_id for m in got.matches] == ["NCT1", "NCT2"] and not got.searched
    assert got.note is not None and "does not mean there is no site near Leeds, UK" in got.note
    html = environment().get_template("_trials_near.html").render(nearby=got, audience="", request_path="/")
    assert "does not mean there is no site near Leeds, UK" in html and "nearest site first" not in html
    empty = nearby_trials(cast(AppState, _State([])), pnet_case(), "Leeds, UK", "200km")
    assert empty.matches == [] and empty.searched and empty.note and "listed for this case" in empty.note

"""CaseProfile JSON in and out (the `--case CASE.json` file and `extract --json`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from netnav import settings
from netnav.errors import CaseFileError
from netnav.types.case import CaseProfile


def case_to_json(profile: CaseProfile) -> str:
    return profile.model_dump_json(indent=2)


def load_case_json(path: Path) -> CaseProfile:
    """Read a CaseProfile JSON file. Raises CaseFileError for anything unusable."""
    try:
        if path.stat().st_size > settings.MAX_FILE_BYTES:
            raise CaseFileError(f"{path.name}: case file too large")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CaseFileError(f"{path}: case file not found") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CaseFileError(f"{path.name}: not a readable JSON case file ({exc})") from exc
    try:
        return CaseProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise CaseFileError(f"{path.name}: not a valid CaseProfile ({where}: {first.get('msg')})") from exc

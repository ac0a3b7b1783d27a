"""Saved, named cases that live over time: reports added, values corrected, timeline, visit summary."""

from netnav.casebook.service import CaseBook, CaseView, open_casebook
from netnav.types.casebook import LOCAL_OWNER

__all__ = ["LOCAL_OWNER", "CaseBook", "CaseView", "open_casebook"]

"""Saved, named cases that live over time: reports added, values corrected, timeline, visit summary."""

from netnav.casebook.service import LOCAL_OWNER, CaseBook, CaseView, open_casebook

__all__ = ["LOCAL_OWNER", "CaseBook", "CaseView", "open_casebook"]

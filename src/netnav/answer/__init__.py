"""Evidence selection, answer composition, verification and rendering."""

from netnav.answer.compose import PersonalItem, Source, abstain, compose
from netnav.answer.render import render_answer
from netnav.answer.select import Evidence, select_evidence

__all__ = ["Evidence", "PersonalItem", "Source", "abstain", "compose", "render_answer", "select_evidence"]

"""Explicit, versioned rules over a CaseProfile: WHO grade, classification, risk features,
immunotherapy options and treatment context, each citing the knowledge cards it encodes."""

from netnav.rules.engine import assess, evaluate_rule, personal_sentences
from netnav.rules.loader import load_rules

__all__ = ["assess", "evaluate_rule", "load_rules", "personal_sentences"]

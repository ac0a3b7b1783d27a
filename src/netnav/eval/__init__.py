"""`netnav eval`: run an evaluation set (DESIGN.md format) and report coverage, contradictions, citations."""

from netnav.eval.runner import EvalItem, EvalReport, load_eval_set, run_eval

__all__ = ["EvalItem", "EvalReport", "load_eval_set", "run_eval"]

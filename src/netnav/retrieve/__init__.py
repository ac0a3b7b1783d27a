"""Question analysis and hybrid retrieval."""

from netnav.retrieve.analyze import Analysis, Entity, analyze
from netnav.retrieve.search import Candidate, hybrid_search

__all__ = ["Analysis", "Candidate", "Entity", "analyze", "hybrid_search"]

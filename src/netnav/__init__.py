"""NETNav: offline, cited answers about neuroendocrine neoplasms."""

__version__ = "0.1.0"

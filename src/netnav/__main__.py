"""`python -m netnav ...`: the same command line as the installed `netnav` script."""

from __future__ import annotations

from netnav.cli.app import main

if __name__ == "__main__":
    main()

"""Server logging: rate-limited, and never with exception messages or tracebacks (they can quote a
report). Installed by `netnav serve` on the root logger (uvicorn's own handlers are not used).

At most `per_window` records per logger in each `window_s` seconds; the rest are counted and reported
in one line when the next window opens. A record's exception is reduced to its type names.
"""

from __future__ import annotations

import logging
import sys
import threading
import time


class RateLimitFilter(logging.Filter):
    def __init__(self, per_window: int = 20, window_s: float = 10.0) -> None:
        super().__init__()
        self.per_window = per_window
        self.window_s = window_s
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int, int]] = {}  # logger -> (window start, kept, dropped)

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            start, kept, dropped = self._counts.get(record.name, (now, 0, 0))
            if now - start >= self.window_s:
                if dropped:
                    record.msg = f"[{dropped} similar log line(s) suppressed] " + str(record.msg)
                start, kept, dropped = now, 0, 0
            if kept >= self.per_window:
                self._counts[record.name] = (start, kept, dropped + 1)
                return False
            self._counts[record.name] = (start, kept + 1, dropped)
        _strip_exception(record)
        return True


def _strip_exception(record: logging.LogRecord) -> None:
    if record.exc_info and record.exc_info[1] is not None:
        names: list[str] = []
        exc: BaseException | None = record.exc_info[1]
        while exc is not None and len(names) < 5:
            names.append(type(exc).__name__)
            exc = exc.__cause__ or exc.__context__
        record.msg = f"{record.msg} ({' <- '.join(names)})"
    record.exc_info = None
    record.exc_text = None
    record.stack_info = None


def install_log_limits(per_window: int = 20, window_s: float = 10.0) -> logging.Handler:
    """One stderr handler on the root logger with the rate limit; returns it (tests remove it)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)  # libraries that log at DEBUG (bm25s) stay quiet
    handler.addFilter(RateLimitFilter(per_window, window_s))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    return handler

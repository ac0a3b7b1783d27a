"""FailureLimiter: a rate limit on failed token checks, per client address.

After `attempts` failures within `window_s` seconds, the client is refused (HTTP 429) until `window_s`
seconds have passed since its first failure in the window. Defaults: 10 failures per 60 s — a person who
mistypes the token a few times is never stopped; a guesser gets 10 guesses a minute (a 16-character
token has ~10^28 possibilities). Memory is bounded (`max_clients`, oldest dropped first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class FailureLimiter:
    def __init__(self, attempts: int = 10, window_s: float = 60.0, max_clients: int = 10_000) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self.max_clients = max_clients
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def blocked(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            start, count = self._seen.get(client, (now, 0))
            if now - start >= self.window_s:
                self._seen.pop(client, None)
                return False
            return count >= self.attempts

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            start, count = self._seen.get(client, (now, 0))
            if now - start >= self.window_s:
                start, count = now, 0
            self._seen[client] = (start, count + 1)
            self._seen.move_to_end(client)
            while len(self._seen) > self.max_clients:
                self._seen.popitem(last=False)

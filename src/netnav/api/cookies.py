"""Names of the cookies and headers that carry a session and the access token (shared by the security
middleware and the anti-forgery check)."""

from __future__ import annotations

SESSION_COOKIE = "netnav_session"
SESSION_HEADER = "X-NETNav-Session"  # the same value, for clients without cookies
TOKEN_COOKIE = "netnav_token"

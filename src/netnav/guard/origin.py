"""Host and Origin checks (DNS rebinding, cross-site writes).

- Host: when the server has a list of allowed host names (netnav serve: the loopback names, the bound
  address and NETNAV_ALLOWED_HOSTS), a request whose Host header names anything else gets 421. A page on
  another site that rebinds its own name to 127.0.0.1 sends its own name as Host, so it is refused.
- Cross-site writes: a state-changing request (POST, PUT, PATCH, DELETE) whose Origin (or, without
  Origin, whose Referer) names another site, or that the browser marks `Sec-Fetch-Site: cross-site`,
  gets 403. Browsers always send Origin with cross-site POSTs (forms and fetch); programs that send no
  Origin/Referer (curl, the CLI, scripts) are not browsers being tricked and are allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "ip6-localhost")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def host_name(value: str) -> str:
    """'Example.org:8000' -> 'example.org'; '[::1]:8000' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names, the address the server is bound to (unless a wildcard) and `extra`."""
    names = {*LOOPBACK_HOSTS, *(host_name(e) for e in extra if e.strip())}
    if bound not in ("0.0.0.0", "::", ""):
        names.add(host_name(bound))
    return frozenset(names)


def host_ok(headers: Mapping[str, str], allowed: frozenset[str] | None) -> bool:
    return allowed is None or host_name(headers.get("host", "")) in allowed


def cross_site_write(method: str, headers: Mapping[str, str]) -> bool:
    """True when a browser is sending a state-changing request on behalf of another site."""
    if method.upper() not in UNSAFE_METHODS:
        return False
    fetch_site = headers.get("sec-fetch-site", "").lower()
    if fetch_site == "cross-site":
        return True
    if fetch_site == "same-origin":
        # set by the browser itself (no page can forge Sec-Fetch-*); with Referrer-Policy no-referrer,
        # Chromium sends `Origin: null` on a plain same-origin form POST, which must not be refused
        return False
    host = headers.get("host", "").strip().lower()
    source = headers.get("origin") or headers.get("referer") or ""
    if not source:
        return False
    if source.strip().lower() == "null":  # sandboxed frames, file:// pages, some redirects
        return True
    return urlsplit(source.strip()).netloc.lower() != host

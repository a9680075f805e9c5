"""Site LSC policy as data: profiles per facility / device / region (with levels), each valid
between `valid_from` and `valid_to`, loaded from JSON or TOML (``load_lsc_profiles``).

File shape (see ``planner/lsc_profiles.example.json``)::

    {"profiles": [{"name": "...", "facility": "..." | null, "device": "..." | null,
                   "valid_from": "YYYY-MM-DD" | null, "valid_to": "YYYY-MM-DD" | null,
                   "sites": [{"region": "lumbar_spine", "side": null, "levels": "L1-L4",
                              "lsc_g_cm2": 0.031}, ...]}]}

A profile with `facility` null serves any facility; with `device` null any device. LSC is
facility-specific (SER-3): when no facility is given only facility-less profiles apply.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.devices import device_key, same_device
from planner.inputs import dec, parse_date


class InvalidLscProfiles(ValueError):
    """Raised when a profile file does not have the documented shape."""


@dataclass(frozen=True)
class SiteLsc:
    region: str
    side: str | None
    levels: str | None
    g_cm2: Decimal


@dataclass(frozen=True)
class LscProfile:
    name: str
    facility: str | None
    device: str | None
    valid_from: date | None
    valid_to: date | None
    sites: tuple[SiteLsc, ...]

    def applies(self, facility: str | None, device: str | None, vendor: str | None,
                scan_date: date | None) -> bool:
        if self.facility is not None and (
                facility is None or facility.casefold() != self.facility.casefold()):
            return False
        if self.device is not None and not (
                device and same_device(device_key(self.device), device_key(device, vendor))):
            return False
        if self.valid_from is None and self.valid_to is None:
            return True
        if scan_date is None:
            return False
        return ((self.valid_from is None or self.valid_from <= scan_date)
                and (self.valid_to is None or scan_date <= self.valid_to))


@dataclass(frozen=True)
class LscProfiles:
    profiles: tuple[LscProfile, ...] = ()

    def select(self, facility: str | None, device: str | None, vendor: str | None,
               scan_date: date | None) -> LscProfile | None:
        """The first profile that applies to this facility, device and scan date."""
        for profile in self.profiles:
            if profile.applies(facility, device, vendor, scan_date):
                return profile
        return None


def _date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    parsed = parse_date(str(value)) if not isinstance(value, date) else value
    if parsed is None:
        raise InvalidLscProfiles(f"{where}: {value!r} is not an ISO date")
    return parsed


def profiles_from_dict(data: dict[str, Any]) -> LscProfiles:
    try:
        profiles = []
        for i, p in enumerate(data["profiles"]):
            sites = tuple(
                SiteLsc(s["region"], s.get("side"), s.get("levels"), dec(s["lsc_g_cm2"]))
                for s in p["sites"])
            profiles.append(LscProfile(
                name=str(p["name"]), facility=p.get("facility"), device=p.get("device"),
                valid_from=_date(p.get("valid_from"), f"profiles[{i}].valid_from"),
                valid_to=_date(p.get("valid_to"), f"profiles[{i}].valid_to"), sites=sites))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InvalidLscProfiles):
            raise
        raise InvalidLscProfiles(f"malformed LSC profile data: {exc!r}") from exc
    return LscProfiles(tuple(profiles))


def load_lsc_profiles(path: str | Path) -> LscProfiles:
    """Read LSC profiles from a ``.json`` or ``.toml`` file.

    Raises:
        InvalidLscProfiles: the file does not have the documented shape.
        OSError: the file cannot be read.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    return profiles_from_dict(data)

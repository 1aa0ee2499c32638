"""The controlled lists of the commons: service areas (the LGA's service list), pattern and commitment
statuses, and the five principles of the Local Digital Declaration. Keys are what files hold; values are
what pages print."""

from __future__ import annotations

from collections.abc import Mapping

SERVICE_AREAS: Mapping[str, str] = {
    "education": "Education",
    "highways-and-transport": "Highways and transport",
    "childrens-social-care": "Children's social care",
    "adult-social-care": "Adult social care",
    "public-health": "Public health",
    "housing": "Housing",
    "cultural-and-related": "Cultural and related",
    "environmental-and-regulatory": "Environmental and regulatory",
    "planning-and-development": "Planning and development",
    "central-services": "Central services",
    "platforms": "Platforms",
}

PATTERN_STATUSES: Mapping[str, str] = {
    "proposed": "Proposed",
    "alpha": "Alpha",
    "beta": "Beta",
    "live": "Live",
    "retired": "Retired",
}

COMMITMENT_STATUSES: Mapping[str, str] = {
    "planned": "Planned",
    "in-progress": "In progress",
    "done": "Done",
    "paused": "Paused",
    "stopped": "Stopped",
}

PRINCIPLES: Mapping[int, str] = {
    1: "Redesign services around the needs of the people using them",
    2: "'Fix our plumbing': modular technology and open standards",
    3: "Safe, secure and useful sharing of information",
    4: "Digital leadership",
    5: "An open culture that expects digital ways of working",
}

"""Whether a build makes the market views: the /market/ page, the contracts on council and platform pattern pages,
the contracts' open data and their feed entries. Always, except when COMMONS_NO_MARKET_VIEWS=1, which only
`make bench`'s market figure sets, to time the same build without them (commons.bench.market). Read here only."""

from __future__ import annotations

import os

NO_MARKET_VIEWS = "COMMONS_NO_MARKET_VIEWS"


def market_views() -> bool:
    return os.environ.get(NO_MARKET_VIEWS, "").strip() != "1"

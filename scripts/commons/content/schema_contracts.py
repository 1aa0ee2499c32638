"""The contracts content type: the systems a council buys, from whom, and until when (`councils/<slug>/contracts.yml`).

Defined here because `schema.py` is long enough; it is one of `schema.CONTENT_TYPES` like every other type, so the
validator, `commons new contract`, the field reference and the editor schema all read it from there.
"""

from __future__ import annotations

from commons.content.field_types import ContentType, Field
from commons.content.vocabulary import OPEN_API, SYSTEM_CATEGORIES

MAX_ANNUAL_VALUE = 1_000_000_000  # pounds a year: above any council's whole budget for one system

CONTRACT = Field(
    "contract",
    "object",
    "One contract.",
    None,
    fields=(
        Field("id", "slug", "A stable identifier, unique in this council. Never change it.",
              "revenues-and-benefits-2021", required=True),
        Field("system", "enum", "The kind of system, from the list in `data/system-categories.yml`.",
              "revenues-and-benefits", required=True, choices=tuple(SYSTEM_CATEGORIES)),
        Field("supplier", "text", "Who the council buys it from, as `data/suppliers.yml` names them (a missing one "
              "is added there first, in a pull request of its own).", "Capita", required=True),
        Field("product", "text", "The product, as `data/suppliers.yml` lists it under its supplier.", "Academy"),
        Field("start", "date", "When the contract started (YYYY-MM-DD).", "2021-04-01", required=True),
        Field("end", "date", "When the contract ends without any extension (YYYY-MM-DD); not before `start`.",
              "2026-03-31", required=True),
        Field("extension-until", "date", "When it ends if every extension it allows is taken, or the one agreed; "
              "after `end`.", "2027-03-31"),
        Field("annual-value", "integer", "What it costs a year, in whole pounds, as the council's contract register "
              "gives it.", 420000, minimum=0, maximum=MAX_ANNUAL_VALUE),
        Field("open-api", "enum", "Whether the system lets other systems read and write its data through a "
              "documented interface: yes, partial, no, or unknown.", "partial", required=True,
              choices=tuple(OPEN_API)),
        Field("data-standards", "list", "Open data standards it supports.", ["BS7666"], unique=True,
              item=Field("standard", "text", "A standard's name.", "BS7666")),
        Field("notice", "url", "The contract's public notice (Contracts Finder or Find a Tender), starting https://",
              "https://www.contractsfinder.service.gov.uk/Notice/00000000-0000-0000-0000-000000000000"),
        Field("notes", "paragraph", "Anything another council should know: what it covers, what you would do "
              "differently.", "Covers council tax, business rates and housing benefit."),
        Field("illustrative", "boolean", "`true` when the contract is an example rather than the council's own "
              "record.", True),
    ),
)

# The link from a platform pattern to the contracts: the kinds of system it runs on, by the same slugs contracts
# name theirs with. Its page lists, for each, what the councils using the pattern record in their contracts.yml.
PATTERN_SYSTEMS = Field(
    "systems", "list", "For a platform pattern (`service-area: platforms`): the kinds of system it runs on, from "
    "`data/system-categories.yml`. Its page then shows the system each council using it records in its "
    "contracts.yml for them.", ["payments"], unique=True,
    item=Field("system", "enum", "A kind of system.", "payments", choices=tuple(SYSTEM_CATEGORIES)))

CONTRACTS = ContentType(
    name="contract",
    title="Contracts",
    folder="councils",
    glob="councils/<slug>/contracts.yml",
    markdown=False,
    description="The systems a council buys, from whom and until when, as its contract register publishes them.",
    fields=(
        Field("contracts", "list", "The council's contracts for its systems.", [], required=True, item=CONTRACT),
    ),
)

"""The content types of the commons, defined once.

Everything that needs to know what a field is — the validator, `commons new`,
the contributor docs' field tables, the editor JSON Schemas in `schemas/` and
the issue forms — reads these definitions. Nothing else lists fields.
"""

from __future__ import annotations

from collections.abc import Mapping

from commons.content.field_types import ContentType, Field, Section
from commons.content.schema_contracts import CONTRACTS, PATTERN_SYSTEMS
from commons.content.vocabulary import COMMITMENT_STATUSES, PATTERN_STATUSES, SERVICE_AREAS

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
HANDLE_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$"
MAX_FILE_BYTES = 256 * 1024
MAX_TEXT = 200

def _text(name: str, description: str, example: str, required: bool = True) -> Field:
    return Field(name, "text", description, example, required=required)


def _patterns(name: str, description: str, example: list[str], required: bool = False) -> Field:
    return Field(
        name,
        "list",
        description,
        example,
        required=required,
        unique=True,
        item=Field("pattern", "pattern", "A pattern's slug (or one of its aliases).", example[0] if example else ""),
    )


def _councils(name: str, description: str, example: list[str], required: bool = False, min_items: int = 0) -> Field:
    return Field(
        name,
        "list",
        description,
        example,
        required=required,
        min_items=min_items,
        unique=True,
        item=Field("council", "council", "A council's register code.", example[0] if example else "HCK"),
    )


SERVICE_AREA = Field(
    "service-area",
    "enum",
    "The service area, as councils report spend by it (CIPFA's Service Reporting Code of Practice), "
    "or `platforms` for shared components.",
    "environmental-and-regulatory",
    required=True,
    choices=tuple(SERVICE_AREAS),
)

LINK = Field(
    "link",
    "object",
    "A titled link.",
    {"title": "Missed bin report form", "url": "https://www.example.gov.uk/missed-bin"},
    fields=(
        _text("title", "What the link is, in words.", "Missed bin report form"),
        Field("url", "url", "The address, starting https://", "https://www.example.gov.uk/missed-bin", required=True),
    ),
)

PATTERN = ContentType(
    name="pattern",
    title="Patterns",
    folder="patterns",
    glob="patterns/<slug>.md",
    markdown=True,
    description="A reusable answer to a service problem councils keep meeting.",
    fields=(
        Field(
            "id",
            "integer",
            "The pattern's permanent number. It gives the short link `/p/<id>/`, which never changes even "
            "if the pattern is renamed. `commons new pattern` picks the next free one.",
            12,
            required=True,
            minimum=1,
            maximum=99999,
        ),
        _text("title", "What the pattern does, as the user would say it.", "Report a missed bin without an account"),
        _text(
            "summary",
            "One sentence saying what the pattern is and who it helps.",
            "Residents report a missed collection in under a minute with just their address.",
        ),
        SERVICE_AREA,
        Field(
            "lgsl",
            "list",
            "Local Government Service List codes for the services this pattern serves.",
            [524],
            unique=True,
            item=Field("code", "integer", "An LGSL code.", 524, minimum=1, maximum=99999),
        ),
        Field(
            "status",
            "enum",
            "How proven the pattern is: proposed (an idea), alpha, beta, live (in use and measured) or retired.",
            "beta",
            required=True,
            choices=tuple(PATTERN_STATUSES),
        ),
        Field(
            "tags",
            "list",
            "Lower-case words that help people find the pattern.",
            ["waste", "forms"],
            unique=True,
            item=Field("tag", "slug", "A tag.", "waste"),
        ),
        PATTERN_SYSTEMS,
        _councils("councils", "The councils that own and review this pattern.", ["HCK"], required=True, min_items=1),
        _patterns("related", "Other patterns that work with this one.", ["bin-collection-day-lookup"]),
        Field(
            "aliases",
            "list",
            "Former slugs of this pattern. Links to them redirect here, so keep every old slug when renaming.",
            ["missed-bin-report"],
            unique=True,
            item=Field("alias", "slug", "A former slug.", "missed-bin-report"),
        ),
        Field(
            "last-reviewed",
            "date",
            "When an owner last checked the pattern was still right (YYYY-MM-DD). Reviewed yearly.",
            "2026-03-14",
            required=True,
        ),
    ),
    sections=(
        Section("Problem", "The user need and what goes wrong today."),
        Section("Solution", "What to build or change, concretely."),
        Section("Evidence", "What shows it works: case studies, research, measures."),
        Section(
            "Considerations",
            "What to watch for, always including accessibility and data protection.",
            subsections=("Accessibility", "Data protection"),
        ),
    ),
)

CASE_STUDY = ContentType(
    name="case-study",
    title="Case studies",
    folder="case-studies",
    glob="case-studies/<slug>.md",
    markdown=True,
    description="What one council actually did, with outcomes in numbers.",
    fields=(
        _text("title", "What the council did.", "Hackney cut missed-bin calls with an online report"),
        Field("council", "council", "The register code of the council that did the work.", "HCK", required=True),
        Field("date", "date", "When the work was finished or the outcomes measured (YYYY-MM-DD).", "2025-11-03",
              required=True),
        _text("summary", "One or two sentences: what changed and what happened.",
              "An address-only form replaced phone reports for missed collections."),
        _patterns("patterns", "The patterns this work used.", ["report-a-missed-bin"]),
        SERVICE_AREA,
        Field(
            "outcomes",
            "list",
            "What was measured before and after.",
            [{"measure": "Missed-bin phone calls", "before": 1900, "after": 640, "unit": "calls per month",
              "period": "2024-25 against 2023-24", "illustrative": True}],
            item=Field(
                "outcome",
                "object",
                "One measured outcome.",
                None,
                fields=(
                    _text("measure", "What was measured.", "Missed-bin phone calls"),
                    Field("before", "number", "The value before the change.", 1900, required=True),
                    Field("after", "number", "The value after the change.", 640, required=True),
                    _text("unit", "The unit of both values.", "calls per month"),
                    _text("period", "The periods compared.", "2024-25 against 2023-24"),
                    Field(
                        "illustrative",
                        "boolean",
                        "`true` when the numbers are illustrative rather than measured.",
                        True,
                    ),
                ),
            ),
        ),
        _councils("partners", "Other councils that took part.", ["ISL"]),
        Field(
            "contact",
            "object",
            "A role to contact, never a named person.",
            {"role": "Waste services digital lead", "email": "digital@example.gov.uk"},
            required=True,
            fields=(
                _text("role", "The job or team to contact.", "Waste services digital lead"),
                Field("email", "email", "A shared or team mailbox.", "digital@example.gov.uk", required=True),
            ),
        ),
        Field("links", "list", "Further reading: reports, blog posts, the live service.", [LINK.example], item=LINK),
    ),
)

PLAYBOOK = ContentType(
    name="playbook",
    title="Playbooks",
    folder="playbooks",
    glob="playbooks/<slug>.md",
    markdown=True,
    description="A step-by-step guide to doing something well.",
    fields=(
        _text("title", "What the playbook helps you do.", "Procure a case-management system with open APIs"),
        _text("summary", "One sentence on what following it gets you.",
              "Buy a system you can integrate with and leave, without a two-year delay."),
        Field(
            "audience",
            "list",
            "Who it is for.",
            ["Heads of digital", "Procurement officers"],
            required=True,
            min_items=1,
            unique=True,
            item=Field("who", "text", "A role or team.", "Procurement officers"),
        ),
        Field(
            "steps",
            "list",
            "The steps, in the order to do them.",
            [{"title": "Map the data you hold", "detail": "List every record type and who uses it."}],
            required=True,
            min_items=2,
            item=Field(
                "step",
                "object",
                "One step.",
                None,
                fields=(
                    _text("title", "The step, as an instruction.", "Map the data you hold"),
                    Field("detail", "paragraph", "What doing it well looks like.",
                          "List every record type and who uses it.", required=True),
                ),
            ),
        ),
        _text("time-needed", "How long it usually takes.", "6 to 9 months"),
        _patterns("patterns", "Patterns the playbook uses.", ["open-api-first-procurement"]),
        _councils("councils", "The councils that own and review this playbook.", ["LDS"], required=True,
                  min_items=1),
        Field("last-reviewed", "date", "When an owner last checked it (YYYY-MM-DD).", "2026-02-01", required=True),
    ),
)

SESSION = ContentType(
    name="session",
    title="Sessions",
    folder="sessions",
    glob="sessions/<event>/<slug>.md",
    markdown=True,
    description="An unconference session and the patterns it discussed. The folder is the event's slug.",
    fields=(
        Field(
            "id",
            "integer",
            "The session's permanent number. It gives the short link `/s/<id>/`, which never changes even if "
            "the session is renamed or moved to another event's folder. `commons new session` picks the next "
            "free one.",
            3,
            required=True,
            minimum=1,
            maximum=99999,
        ),
        _text("event", "The event's name; the folder must be its slug.", "UKGovCamp 2026"),
        Field("date", "date", "The day of the session (YYYY-MM-DD).", "2026-01-24", required=True),
        _text("title", "The session's title.", "Can we all stop building our own bin forms?"),
        Field(
            "hosts",
            "list",
            "Who pitched or hosted it, as they want to be named (a name, a role or a handle).",
            ["Waste digital team, Hackney"],
            required=True,
            min_items=1,
            item=Field("host", "text", "A host.", "Waste digital team, Hackney"),
        ),
        Field("notes", "url", "Where the session notes are.", "https://docs.example.org/govcamp-bins", required=False),
        _patterns("patterns", "Patterns the session discussed.", ["report-a-missed-bin"]),
        _councils("councils", "Councils that took part, if they want it recorded.", []),
    ),
)

COUNCIL = ContentType(
    name="council",
    title="Councils",
    folder="councils",
    glob="councils/<slug>/council.yml",
    markdown=False,
    description="A council's profile and the patterns it has adopted. The folder is the council's register slug.",
    fields=(
        Field("code", "council", "The council's code in the UK local authority register.", "HCK", required=True),
        Field(
            "maintainers",
            "list",
            "GitHub users who may change this council's files (without the @).",
            ["hackney-digital"],
            required=True,
            min_items=1,
            unique=True,
            item=Field("maintainer", "handle", "A GitHub user name.", "hackney-digital"),
        ),
        Field("website", "url", "The council's website.", "https://hackney.gov.uk", required=True),
        Field("declaration-signed", "date", "When the council signed the Local Digital Declaration.", "2018-07-04"),
        Field(
            "adopted",
            "list",
            "Patterns the council uses. Say it here, in your own folder: nobody else's file needs changing.",
            [{"pattern": "report-a-missed-bin", "since": "2024-06-01",
              "evidence": "https://hackney.gov.uk/missed-bin"}],
            item=Field(
                "adoption",
                "object",
                "One adopted pattern.",
                None,
                fields=(
                    Field("pattern", "pattern", "The pattern's slug.", "report-a-missed-bin", required=True),
                    Field("since", "date", "When it went live here.", "2024-06-01", required=True),
                    Field("evidence", "url", "A page showing it in use.", "https://hackney.gov.uk/missed-bin"),
                ),
            ),
        ),
        Field(
            "former",
            "list",
            "Abolished councils whose folders were merged into this one (`commons reorganise` writes them). "
            "Links to their old pages lead here, so keep every one.",
            [{"code": "TAU", "slug": "taunton-deane", "until": "2019-03-31"}],
            item=Field(
                "predecessor",
                "object",
                "One abolished council.",
                None,
                fields=(
                    # Not of kind council: that kind refuses abolished codes, and these are all abolished.
                    Field("code", "text", "Its code in the UK local authority register.", "TAU", required=True),
                    Field("slug", "slug", "Its old folder and page name, which now redirects here.",
                          "taunton-deane", required=True),
                    Field("until", "date", "The day it was abolished.", "2019-03-31", required=True),
                    Field("website", "url", "Its website, as its own profile gave it.",
                          "https://www.tauntondeane.gov.uk"),
                    Field("declaration-signed", "date", "When it signed the Local Digital Declaration.",
                          "2018-07-04"),
                ),
            ),
        ),
    ),
)

HISTORY_ENTRY = Field(
    "update",
    "object",
    "One dated update.",
    None,
    fields=(
        Field("date", "date", "When it happened (YYYY-MM-DD).", "2025-09-01", required=True),
        Field("status", "enum", "The status from that date.", "in-progress", required=True,
              choices=tuple(COMMITMENT_STATUSES)),
        Field("note", "paragraph", "What happened, in a sentence or two.", "Repairs data published weekly.",
              required=True),
        Field("evidence", "url", "A page that shows it.", "https://hackney.gov.uk/open-data"),
        # Not of kind council: that kind refuses abolished codes, and this one always is.
        Field("moved-from", "text", "Only on the entry `commons reorganise` adds when an abolished council's "
              "commitments move to its successor: that council's register code (a council the register lists as "
              "abolished; any other is refused). The entry records the move, not progress, so it does not count "
              "as an update (without another in 12 months the commitment is stale), and the updates dated before "
              "that council was abolished are shown as its work. Never add it to an update of your own.", "HAG"),
    ),
)

COMMITMENT = Field(
    "commitment",
    "object",
    "One commitment.",
    None,
    fields=(
        Field("id", "slug", "A stable identifier, unique in this council. Never change it.", "open-repairs-data",
              required=True),
        _text("title", "What the council committed to.", "Open housing repairs data"),
        Field(
            "principles",
            "list",
            "The Declaration principles it serves: 1 services around users' needs, 2 fix our plumbing, "
            "3 sharing information, 4 digital leadership, 5 open culture.",
            [1, 3],
            required=True,
            min_items=1,
            unique=True,
            item=Field("principle", "integer", "A principle number.", 3, minimum=1, maximum=5),
        ),
        Field("status", "enum", "Where it stands now. You can leave it out: the latest update in `history` says "
              "it. If you write it, it must be the latest update's status.", "in-progress",
              choices=tuple(COMMITMENT_STATUSES)),
        Field("start", "date", "When work started or will start.", "2025-04-01", required=True),
        Field("target", "date", "When it should be done; not before `start`.", "2026-03-31"),
        _councils("partners", "Councils working on it with you.", ["ISL"]),
        _patterns("patterns", "Patterns it uses or produces.", ["open-repairs-data"]),
        Field("history", "list", "Dated updates, oldest first (two on one day are read in the order written). "
              "Add one whenever the status changes: the latest is the commitment's status.",
              [{"date": "2025-04-01", "status": "in-progress", "note": "Started.", }],
              required=True, min_items=1, item=HISTORY_ENTRY),
    ),
)

DECLARATION = ContentType(
    name="commitment",
    title="Declaration commitments",
    folder="councils",
    glob="councils/<slug>/declaration.yml",
    markdown=False,
    description="A council's Local Digital Declaration commitments and their history.",
    fields=(
        Field("commitments", "list", "The council's commitments.", [], required=True, unique=False,
              item=COMMITMENT),
    ),
)

CONTENT_TYPES: tuple[ContentType, ...] = (PATTERN, CASE_STUDY, PLAYBOOK, COUNCIL, DECLARATION, CONTRACTS, SESSION)
BY_NAME: Mapping[str, ContentType] = {t.name: t for t in CONTENT_TYPES}
CONTENT_FOLDERS: tuple[str, ...] = ("patterns", "case-studies", "playbooks", "councils", "sessions")


"""The issue forms themselves: what each asks, for which change, in what words (`FORMS`). `forms.py` makes the
forms' files from these and reads their answers back by them; a form's items come from the schema's fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from commons.content.field_types import Field, Section
from commons.content.schema import CASE_STUDY, COMMITMENT, COUNCIL, HISTORY_ENTRY, PATTERN
from commons.content.schema_contracts import CONTRACT

# Links in a form resolve against https://github.com/<owner>/<repo>/issues/new, so these reach the repository's files.
CODE_OF_CONDUCT = "[code of conduct](../blob/main/CODE_OF_CONDUCT.md)"
FIELD_REFERENCE = "[field reference](../blob/main/docs/contribute/fields.md)"
CONTRIBUTING = "[contributing guide](../blob/main/CONTRIBUTING.md)"
AUTOMATIC = ("When you submit the form, a pull request making the change is opened for you automatically and "
             "linked from this issue. If an answer needs changing, a comment here says which and how: edit the "
             "issue and the change is made again.")

# Value sets whose choices have words for people; a dropdown shows the words, in the schema's order.
DIFFERENT_ID = "different"  # Form.different: an optional answer from-issue asks for when a title is like another's
DIFFERENT = ("How is it different from a pattern the commons has?", "Leave it blank at first; if a comment here "
             "names a pattern with a title like yours, improve it instead, or say here how yours differs.")



@dataclass(frozen=True)
class Part:
    """Fields of the schema that a form asks for, each as one item (an object's fields as one item each).

    An item's id is `id_prefix` + the field's name (`contact-email` for a nested field) and its label
    `label_prefix` + the name in words. `omit` names fields the form does not ask for; `optional` names fields the
    schema requires but this form may leave blank, with `optional_note` added to their description to say when
    they are needed. `notes` adds a sentence to the description of the fields it names.
    """

    fields: tuple[Field, ...]
    id_prefix: str = ""
    label_prefix: str = ""
    omit: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    optional_note: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Form:
    """One issue form: `file` in FORMS_DIR, what GitHub shows in its chooser, and what it asks.

    `sections` become one required text area each (a section's sub-sections one each instead); `story`, when set,
    is the label of one required text area for a Markdown body without fixed sections. Every statement in
    `confirm` must be ticked before the issue can be opened. `makes` is the change `commons from-issue` makes of
    the answers: `pattern`, `case-study`, `commitment` (a new one), `commitment-update`, `council` (joining) or
    `contract` (one added to, or changed in, a council's contracts.yml).
    """

    file: str
    makes: str
    name: str
    description: str
    title: str
    labels: tuple[str, ...]
    intro: str
    parts: tuple[Part, ...]
    sections: tuple[Section, ...] = ()
    story: str = ""
    story_description: str = ""
    different: tuple[str, str] | tuple[()] = ()
    confirm: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".yml")

    @property
    def label(self) -> str:
        """The label only this form gives its issues."""
        return f"form/{self.stem}"


@dataclass(frozen=True)
class Asked:
    """One item of a form that asks for a field: its id and label, the field, and where the value goes in the
    entry (`path`: the field names from the part's top, `contact`, `email` for a nested field)."""

    id: str
    label: str
    field: Field
    path: tuple[str, ...]
    required: bool
    note: str


def _council_code() -> Field:
    code = COUNCIL.field("code")
    assert code is not None, "schema.COUNCIL has no `code` field"
    return code


def _commitment_id() -> Field:
    cid = COMMITMENT.child("id")
    assert cid is not None, "schema.COMMITMENT has no `id` field"
    return cid


_COUNCIL_CODE = Part((_council_code(),), id_prefix="council-", label_prefix="Council ")
# `moved-from` is written only by `commons reorganise`, never by a person.
_UPDATE = Part(HISTORY_ENTRY.fields, id_prefix="update-", label_prefix="Update: ", omit=("moved-from",))
_MAINTAINERS_APPROVE = ("Your council's maintainers (listed on its page and in `councils/<slug>/council.yml`) "
                        "approve it before it is merged.")

FORMS: tuple[Form, ...] = (
    Form(
        file="propose-a-pattern.yml",
        makes="pattern",
        name="Propose a pattern",
        description=PATTERN.description,
        title="Pattern: ",
        labels=("pattern", "proposal"),
        intro=(
            "Describe the pattern. It becomes `patterns/<slug>.md` with its permanent number (its short link "
            f"`/p/<number>/`). {AUTOMATIC} The maintainers of the councils you name approve it. Every field is "
            f"explained in the {FIELD_REFERENCE}. You can also open a pull request yourself: see the "
            f"{CONTRIBUTING}."
        ),
        parts=(Part(PATTERN.fields, omit=("id", "aliases", "last-reviewed", "systems")),),
        sections=PATTERN.sections,
        different=DIFFERENT,
        confirm=(
            "I searched the site and this pattern is not in the commons yet.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="add-a-case-study.yml",
        makes="case-study",
        name="Add a case study",
        description=CASE_STUDY.description,
        title="Case study: ",
        labels=("case-study", "proposal"),
        intro=(
            "Tell us what your council did and what happened. It becomes `case-studies/<slug>.md`. "
            f"{AUTOMATIC} {_MAINTAINERS_APPROVE} Every field is explained in the {FIELD_REFERENCE}. You can "
            f"also open a pull request yourself: see the {CONTRIBUTING}."
        ),
        parts=(Part(CASE_STUDY.fields),),
        story="What you did and what happened",
        story_description="The text of the case study, in plain English: the problem, what you did, what happened "
        "and what you would do differently. Put measured outcomes in Outcomes above.",
        confirm=(
            "Figures that were not measured end with `| yes` (illustrative) in Outcomes, and the text says so.",
            "The contact is a role and a team mailbox, not a named person.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="add-a-commitment.yml",
        makes="commitment",
        name="Add a commitment",
        description="Record a new Local Digital Declaration commitment of your council, with where it stands.",
        title="New commitment: ",
        labels=("commitment", "council-update"),
        intro=(
            "A council's commitments are changed only with the agreement of that council's maintainers. This "
            "adds one to `councils/<slug>/declaration.yml`, with its first update. "
            f"{AUTOMATIC} {_MAINTAINERS_APPROVE} You can also make the change yourself in the GitHub web editor: "
            f"the {CONTRIBUTING} shows how, step by step."
        ),
        parts=(
            _COUNCIL_CODE,
            Part(COMMITMENT.fields, id_prefix="commitment-", label_prefix="Commitment: ", omit=("status", "history"),
                 optional=("id",), optional_note="Leave it blank to make one from the title."),
            _UPDATE,
        ),
        confirm=(
            "I am one of this council's maintainers, or they have agreed to this change.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="update-a-commitment.yml",
        makes="commitment-update",
        name="Update a commitment",
        description="Record how one of your council's Local Digital Declaration commitments has moved on.",
        title="Commitment update: ",
        labels=("commitment", "council-update"),
        intro=(
            "A council's commitments are changed only with the agreement of that council's maintainers. This "
            "adds a dated update to one commitment in `councils/<slug>/declaration.yml`, and its status becomes "
            f"the update's. {AUTOMATIC} {_MAINTAINERS_APPROVE} To add a commitment, use the Add a commitment "
            f"form instead. The {CONTRIBUTING} shows how to make the change yourself in the GitHub web editor."
        ),
        parts=(
            _COUNCIL_CODE,
            Part((_commitment_id(),), id_prefix="commitment-", label_prefix="Commitment: ",
                 notes={"id": "Your council's page shows it under each commitment, as ID."}),
            _UPDATE,
        ),
        confirm=(
            "I am one of this council's maintainers, or they have agreed to this change.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="join-the-commons.yml",
        makes="council",
        name="Join the commons",
        description="Give your council its own folder in Council Commons: its profile, and a place for its "
        "Declaration commitments.",
        title="Join: ",
        labels=("council", "council-update"),
        intro=(
            "This makes `councils/<slug>/council.yml` (your council's profile) and an empty "
            "`councils/<slug>/declaration.yml`. You become one of its maintainers: the people who approve every "
            f"change to your council's files. {AUTOMATIC} A maintainer of the commons approves it. You can also "
            f"open a pull request yourself: see the {CONTRIBUTING}."
        ),
        parts=(
            _COUNCIL_CODE,
            Part(COUNCIL.fields, omit=("code", "former"), optional=("maintainers",),
                 optional_note="You are made a maintainer yourself; name the others here."),
        ),
        confirm=(
            "I work for this council and may speak for it here.",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
    Form(
        file="record-a-contract.yml",
        makes="contract",
        name="Record a contract",
        description="Record one of your council's contracts for its systems (who supplies it and when it ends), "
        "so councils whose contracts end together can buy together.",
        title="Contract: ",
        labels=("contract", "council-update"),
        intro=(
            "A council's contracts are changed only with the agreement of that council's maintainers. This adds "
            "the contract to `councils/<slug>/contracts.yml`, as your council's contract register publishes it; "
            "to change one already recorded, give its ID and the whole contract as it now stands: it replaces "
            f"the one recorded. {AUTOMATIC} {_MAINTAINERS_APPROVE} A supplier or product the commons does not "
            "list yet is added to `data/suppliers.yml` in a pull request of its own first. Every field is "
            f"explained in the {FIELD_REFERENCE}. The {CONTRIBUTING} shows how to make the change yourself in "
            "the GitHub web editor."
        ),
        parts=(
            _COUNCIL_CODE,
            # `illustrative` marks the commons' own examples: a council recording its contract is not one.
            Part(CONTRACT.fields, id_prefix="contract-", label_prefix="Contract: ", omit=("illustrative",),
                 optional=("id",),
                 optional_note="Leave it blank for a new contract (it is made from the system and the start "
                 "year); to change one already recorded, give its ID as councils/<slug>/contracts.yml has it."),
        ),
        confirm=(
            "I am one of this council's maintainers, or they have agreed to this change.",
            "The contract is published by the council (its contract register or a public notice).",
            f"I agree to follow the {CODE_OF_CONDUCT}.",
        ),
    ),
)

"""The plain declaration reader gives exactly the counts the full YAML reader gives, or steps aside.

Declarations are generated in many layouts (indentation, where lists start, comments, block and flow lists), with
values that YAML reads as something other than text, repeated fields, quotes, continuation lines and stray
characters, and then mutated a character at a time: for every one, the counts read through PlainDeclarations
equal those of the full reader (yaml_reader.parse_yaml and model.commitment_status).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons.content.plain_declaration import PlainDeclarations
from commons.site.progress import count_statuses

STATUS_VALUES = ["planned", "in-progress", "done", "paused", "stopped", "yes", "off", "null", "~", "Done",
                 '"done"', "'paused'", "done now", "done  # a comment", "done#x", "", "[done]", "in-progress "]
NOTES = ["On track.", "Waiting on the supplier's API.", "Phase 1: done", "See https://example.org/x",
         "Q&A with *residents*", "Live - for residents", "- a list?", "a: b", "'quoted'", "Café opened",
         "line one\n{cont}continued", "|", "> folded", "&anchor value", "tab\there", "[1, 2", "x #y"]


@st.composite
def declarations(draw: st.DrawFn) -> str:
    dash = draw(st.sampled_from([0, 2, 2, 2, 4]))
    f = " " * (dash + 2)
    h = f + draw(st.sampled_from(["", "  ", "  "]))
    lines = draw(st.sampled_from([[], ["# yaml-language-server: $schema=../../schemas/commitment.schema.json"]]))
    lines += draw(st.sampled_from([["commitments:"], ["commitments:  # the list"], ["commitments: []"],
                                   ["commitments:", ""], ["other: 1", "commitments:"]]))
    for n in range(draw(st.integers(0, 4))):
        first = draw(st.sampled_from(["id", "status", "title"]))
        lines.append(f"{' ' * dash}- {first}: " + (f"c{n}" if first != "status" else
                                                   draw(st.sampled_from(STATUS_VALUES))))
        for key in draw(st.lists(st.sampled_from(["title", "status", "principles", "patterns", "start", "history",
                                                  "note", "comment", "blank"]), max_size=7)):
            if key == "blank":
                lines.append(draw(st.sampled_from(["", "   ", f"{f}# a comment", "# at the margin"])))
            elif key == "comment":
                lines.append(f"{f}# about this commitment")
            elif key == "status":
                lines.append(f"{f}status: {draw(st.sampled_from(STATUS_VALUES))}")
            elif key == "principles":
                lines.append(f"{f}principles: " + draw(st.sampled_from(["[1, 2]", "[]", "[3]", "[1,"])))
            elif key == "patterns":
                at = f + draw(st.sampled_from(["", "  "]))
                lines += [f"{f}patterns:"] + [f"{at}- {p}" for p in draw(st.lists(
                    st.sampled_from(["address-lookup", "a: b", "'x'", "[y]"]), max_size=3))]
            elif key == "start":
                lines.append(f"{f}start: 2021-04-0{draw(st.integers(1, 9))}")
            elif key == "note":
                lines.append(f"{f}note: " + draw(st.sampled_from(NOTES)).format(cont=f + "  "))
            elif key == "history":
                value = draw(st.sampled_from(["", "", " []", " ~"]))
                lines.append(f"{f}history:{value}")
                for _ in range(draw(st.integers(0, 3))):
                    fields = draw(st.lists(st.sampled_from(["date", "status", "note", "status", "evidence"]),
                                           min_size=1, max_size=4))
                    for i, name in enumerate(fields):
                        value = (draw(st.sampled_from(STATUS_VALUES)) if name == "status" else
                                 draw(st.sampled_from(NOTES)).format(cont=h + "    ") if name == "note" else
                                 "2022-01-01" if name == "date" else "https://example.org/e")
                        lines.append(f"{h}- {name}: {value}" if i == 0 else f"{h}  {name}: {value}")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\nextra: 1\n", "\n---\n"]))


def _same(text: str, plain: PlainDeclarations) -> None:
    data = text.encode("utf-8")
    assert count_statuses(data, plain) == count_statuses(data), text


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(declarations(), st.data())
def test_plain_reader_counts_as_the_full_reader_does(text: str, data: st.DataObject) -> None:
    plain = PlainDeclarations()
    _same(text, plain)
    # A character put in or taken out anywhere, read with what the reader remembers from the text before.
    at = data.draw(st.integers(0, len(text)))
    char = data.draw(st.sampled_from([" ", "\n", "-", ":", "#", "'", '"', "[", "&", "\t", "\u00a0", "x", ""]))
    _same(text[:at] + char + text[at + 1:], plain)
    _same(text[:at] + char + text[at:], plain)


def test_plainly_written_declarations_are_read_without_the_full_reader() -> None:
    """The reader must actually read the usual layouts (else the figure it is for would be the full reader's)."""
    text = ("# yaml-language-server: $schema=../../schemas/commitment.schema.json\n"
            "commitments:\n"
            "  - id: one-address-lookup\n    title: Use one address lookup\n    principles: [2, 3]\n"
            "    status: done\n    patterns:\n      - address-lookup-with-uprn\n    history:\n"
            "      - date: 2019-05-01\n        status: in-progress\n        note: Built on Pointer data (see https://example.org).\n"
            "      - date: 2020-02-03\n        status: done\n        note: Used on every form.\n"
            "  - id: bin-day\n    title: Bin day lookup\n    status: planned  # agreed in May\n"
            "  - id: no-status\n    title: Nothing said yet\n    history:\n    - date: 2024-01-01\n"
            "      note: Started.\n")
    plain = PlainDeclarations()
    assert plain.statuses(text) == ["done", "planned", None]
    assert count_statuses(text.encode(), plain) == count_statuses(text.encode())


def test_a_status_yaml_reads_otherwise_or_a_repeated_field_is_left_to_the_full_reader() -> None:
    plain = PlainDeclarations()
    for text in ["commitments:\n  - id: a\n    status: yes\n",
                 "commitments:\n  - id: a\n    status: done\n    status: paused\n",
                 "commitments:\n  - id: a\n    history:\n      - status: done\n        status: paused\n",
                 "commitments:\n  - id: a\n    status: done\n    note: |\n      status: paused\n"]:
        assert plain.statuses(text) is None, text
        assert count_statuses(text.encode(), plain) == count_statuses(text.encode())

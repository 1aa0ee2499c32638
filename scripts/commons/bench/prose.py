"""Real-length bodies for the benchmark corpus: recombinations of the starter content's own prose.

The starter patterns and case studies (patterns/*.md, case-studies/*.md in this repository) are what real
entries look like: two to three thousand characters under the sections their type asks for, with lists,
sub-sections and plain-English paragraphs. `RealProse` keeps each starter body's sections by heading and
makes a body of 3 to 5 KB for each generated entry from them: every section the type needs, from one
starter entry or another, lengthened with paragraphs of the same section of others, and now and then a
table of (illustrative) figures and links, as real entries have.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from commons.content.register import REGISTER_FILE

STARTER = REGISTER_FILE.parents[1]  # the repository, whose starter content the corpus copies
MIN_BODY, MAX_BODY = 3000, 5000
_H2 = re.compile(r"^## (.+)$", re.M)


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1].strip() if text.startswith("---\n") else text.strip()


def _sections(body: str) -> dict[str, str]:
    """Each `## ` section of a body, by its heading, with what it holds (sub-sections included)."""
    marks = list(_H2.finditer(body))
    return {m[1].strip(): body[m.end():marks[k + 1].start() if k + 1 < len(marks) else len(body)].strip()
            for k, m in enumerate(marks)}


def _paragraphs(section: str) -> list[str]:
    """The blocks of a section before any sub-section: paragraphs and lists, as written."""
    return [block for block in section.split("\n\n###", 1)[0].split("\n\n") if block.strip()]


class RealProse:
    """The starter bodies of one folder, by section, and bodies of real length made from them."""

    def __init__(self, folder: str, headings: list[str]):
        self.headings = headings
        self.bodies = [s for s in (_sections(_body(p)) for p in sorted((STARTER / folder).glob("*.md")))
                       if all(h in s for h in headings)]
        if not self.bodies:
            raise RuntimeError(f"no starter entry in {STARTER / folder} has the sections {headings}")

    def body(self, rng: random.Random, service: str, links: list[str]) -> str:
        """A body of MIN_BODY to MAX_BODY characters: each heading from a starter body, lengthened with the
        paragraphs of others' same section; then, for some, a table of figures and the `links` given."""
        target = rng.randint(MIN_BODY, MAX_BODY - 900)
        parts = {h: rng.choice(self.bodies)[h] for h in self.headings}
        size = sum(len(t) for t in parts.values())
        for _ in range(40):
            if size >= target:
                break
            heading = rng.choice(self.headings)
            extra = rng.choice(_paragraphs(rng.choice(self.bodies)[heading]))
            if extra in parts[heading]:
                continue
            head, sep, subs = parts[heading].partition("\n\n###")  # keep sub-sections last
            parts[heading] = f"{head}\n\n{extra}{sep}{subs}"
            size += len(extra) + 2
        if rng.random() < 0.4:
            parts[self.headings[-2 if len(self.headings) > 2 else -1]] += "\n\n" + _table(rng, service)
        text = "\n\n".join(f"## {h}\n\n{parts[h]}" for h in self.headings)
        if links:
            text += "\n\nSee also " + ", ".join(links) + "."
        return text + "\n"


def _table(rng: random.Random, service: str) -> str:
    calls, minutes, take_up = rng.randint(300, 4000), rng.randint(8, 25), rng.randint(10, 45)
    rows = [(f"Calls about {service} a month", calls, calls * rng.randint(30, 90) // 100),
            ("Average time to complete, minutes", minutes, minutes * rng.randint(30, 90) // 100),
            ("Requests made online, per cent", take_up, take_up + rng.randint(10, 50))]
    lines = ["These figures are illustrative.", "", "| Measure | Before | After |", "|---|---:|---:|"]
    lines += [f"| {name} | {before:,} | {after:,} |" for name, before, after in rows]
    return "\n".join(lines)

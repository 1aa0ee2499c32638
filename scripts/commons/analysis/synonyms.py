"""The words councils use for the same service, so that similarity works on meaning, not only shared words.

Three small tables, applied in this order to lower-cased text with apostrophes dropped:

- PHRASES: whole phrases rewritten to one concept word ("wasnt emptied" and "not collected" -> "missed",
  "blue badge" and "disabled parking permit" -> "bluebadge"), so a paraphrase shares a word with the usual name;
- WORDS: single words to the word the commons uses most ("rubbish", "refuse", "waste" -> "bin"; "tell" ->
  "report");
- lemma(): a plural or verb ending dropped ("reports", "reporting", "reported" -> "report").

Add a row when the labelled pairs in tests/similarity-pairs.yml show a paraphrase the engine misses, and keep
it narrow: a row that joins two different services ("order a new bin" is not "report a missed bin") makes
every entry about either look alike. `make bench` prints the effect on precision and recall.
"""

from __future__ import annotations

import re

# (pattern over normalised text, concept word); longer phrases first where they overlap
PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b(wasnt|was not|werent|were not|hasnt been|not been|not) (emptied|collected|picked up)\b", "missed"),
    (r"\bmissed (collection|pick ?up)s?\b", "missed bin"),
    (r"\b(blue badges?|disabled (persons? )?parking (permit|badge|scheme)s?|disabled badges?)\b", "bluebadge"),
    (r"\b(pot ?holes?|road defects?|holes? in the road)\b", "pothole"),
    (r"\b(fly[ -]?tipping|fly[ -]?tipped|illegally dumped|dumped rubbish|dumped waste)\b", "flytip"),
    (r"\b(tell us once|tell-us-once|(report|tell us about) a death to (several|many|all|every) services"
     r"( at once)?)\b", "tellusonce"),
    (r"\b(single person discount|live alone|living alone|lives alone)\b", "singleperson"),
    (r"\b(council tax|ctax)\b", "counciltax"),
    (r"\b(direct debits?|payment details|bank details)\b", "directdebit"),
    (r"\b(bulky (waste|items?|rubbish|collections?)|large items?|furniture collections?)\b", "bulky"),
    (r"\b(garden waste|green waste|green bins?|brown bins?)\b", "gardenwaste"),
    (r"\b(parking (fines?|tickets?)|penalty charge notices?|pcns?)\b", "pcn"),
    (r"\b(street ?lights?|street ?lamps?|lamp ?posts?)\b", "streetlight"),
    (r"\b(dropped kerbs?|vehicle crossings?|crossovers?)\b", "droppedkerb"),
    (r"\b(bus pass(es)?|concessionary travel)\b", "buspass"),
    (r"\b(free school meals?|fsm)\b", "schoolmeal"),
    (r"\b(school places?|school admissions?|in-year admissions?|change schools?|move schools?)\b",
     "schooladmission"),
    (r"\b(home to school transport|school transport|travel assistance)\b", "schooltransport"),
    (r"\b(ehcp|education health and care plans?|send assessments?)\b", "ehcp"),
    (r"\b(front door|mash|multi-agency safeguarding hub)\b", "frontdoor"),
    (r"\b(foster carers?|foster(ing)?)\b", "foster"),
    (r"\b(care leavers?|leaving care)\b", "careleaver"),
    (r"\b(financial assessments?|means test(s|ed|ing)?|care costs?|pay for (my |your )?care"
     r"|care cost calculators?)\b", "carecost"),
    (r"\b(how much|calculators?|estimators?)\b", "estimate"),
    (r"\b(unpaid carers?|carers)\b", "carer"),
    (r"\b(stop smoking|quit smoking|give up smoking)\b", "stopsmoking"),
    (r"\b(sexual health|sti tests?|sti testing)\b", "sexualhealth"),
    (r"\b(damp and mould|damp|mould)\b", "damp"),
    (r"\b(housing register|social housing|council housing|council homes?)\b", "housingregister"),
    (r"\b(homeless(ness)?|nowhere to live|rough sleeping)\b", "homeless"),
    (r"\b(library cards?|join the library|library membership)\b", "library"),
    (r"\b(leisure centres?|swimming|gym)\b", "leisure"),
    (r"\b(allotments?)\b", "allotment"),
    (r"\b(planning applications?|planning permission)\b", "planning"),
    (r"\bhave (your|a) say\b", "comment"),
    (r"\b(not working|doesnt work|does not work|gone out)\b", "fault"),
    (r"\b(without (visiting|coming in|going in))\b", "online"),
    (r"\b(building control|building regulations?)\b", "buildingcontrol"),
    (r"\b(electoral (register|registration)|register to vote|voter registration)\b", "electoral"),
    (r"\b(business rates?|non-domestic rates?)\b", "businessrate"),
    (r"\b(housing benefits?|universal credit)\b", "benefit"),
    (r"\b(address look ?ups?|uprn|find (an |your )?address|(national )?address gazetteer|llpg|nlpg)\b",
     "addresslookup"),
    (r"\b(sign ?in|log ?in|single sign-on|sso|identity verification)\b", "signin"),
    (r"\b(text messages?|sms|(updates? by )?emails? and texts?|notifications?"
     r"|(status )?updates by (email|text))\b", "notify"),
    (r"\b(noise complaints?|noisy neighbours?|loud music)\b", "noise"),
    (r"\b(premises licen[cs]es?|alcohol licen[cs]es?)\b", "premiseslicence"),
    (r"\b(bin days?|collection days?|collection calendars?|when (is|are) (my |your )?bins?)\b", "binday"),
)
WORDS: dict[str, str] = {
    "rubbish": "bin", "refuse": "bin", "waste": "bin", "wheelie": "bin", "recycling": "bin",
    "emptied": "collect", "empty": "collect", "collected": "collect", "collection": "collect",
    "tell": "report", "notify": "notify", "log": "report", "flag": "report",
    "application": "apply", "applying": "apply", "claim": "apply", "request": "apply",
    "payment": "pay", "paying": "pay", "renewal": "renew", "book": "booking",
    "fault": "fault", "broken": "fault", "faulty": "fault",
    "tenant": "resident", "tenants": "resident", "citizen": "resident", "customer": "resident",
    "residents": "resident", "people": "resident",
    "help": "support", "join": "apply", "update": "change",
    "repair": "repair", "repairs": "repair", "fix": "repair",
    "photograph": "photo", "picture": "photo", "image": "photo",
    "online": "online", "digital": "online", "web": "online", "website": "online",
    "mobile": "phone", "smartphone": "phone",
    "permit": "permit", "pass": "permit",
    "discount": "discount", "reduction": "discount", "relief": "discount",
    "kid": "child", "children": "child", "childrens": "child", "young": "child",
    "elderly": "older", "dementia": "older",
    "move": "move", "moving": "move", "relocate": "move",
    "dies": "death", "died": "death", "bereavement": "death", "bereaved": "death",
}
APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")
# One pass over the text, tried only where a word starts: every phrase (each starts with \b) as a named
# alternative, the first listed winning where two start at the same place
_ONE = re.compile(r"\b(?:" + "|".join(f"(?P<p{i}>{p.removeprefix(chr(92) + 'b')})"
                                      for i, (p, _) in enumerate(PHRASES)) + ")")
_CONCEPT = {f"p{i}": f" {w} " for i, (_, w) in enumerate(PHRASES)}


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, every PHRASE rewritten to its concept word."""
    return _ONE.sub(lambda m: _CONCEPT[m.lastgroup or ""], APOSTROPHES.sub("", text.lower()))


def lemma(word: str) -> str:
    """A plural or verb ending dropped, conservatively: 'reports', 'reporting', 'reported' -> 'report'."""
    if len(word) <= 4:
        return word
    for ending, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(ending) and not word.endswith("ss") and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)] + keep
    return word


def canonical(word: str) -> str:
    """The word the commons uses for `word` (WORDS, before and after its lemma)."""
    if word in WORDS:
        return WORDS[word]
    base = lemma(word)
    return WORDS.get(base, base)

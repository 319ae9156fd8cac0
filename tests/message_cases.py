"""The mistakes partners make, each as an edit of a valid example passport and the messages it must get.

One list serves the tests that send each case to the registry (`tests/api/test_messages.py`) and the table
of `docs/messages.md`, which is rendered from it (`render_table`) and checked against the committed file,
so the documentation says what the registry answers. `UPDATE_DOCS=1` rewrites the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "messages.md"
#: The example every case edits (an EV battery of the operator DE2847193650).
BASE = "ev-nmc-car-pack.json"

Document = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """A mistake: what the partner sends (`sent`, shown in the table; `edit` applies it to the example),
    and the messages the registry answers, in order (none: the registry accepts it, `note` says why).

    `answer` is where the message comes from: "validate" (the `violations` of `POST /validate`, the same
    as the 422 of a write and `passport-registry validate`), "write" (the 422 `detail` of `POST /passports`,
    a rule about who writes), or "parse" (the 400 `detail`: the input cannot be read at all).
    """

    id: str
    mistake: str
    sent: str
    edit: Callable[[Document], None]
    messages: tuple[str, ...]
    answer: str = "validate"
    note: str = ""


def put(*keys: str | int, value: Any) -> Callable[[Document], None]:
    def edit(document: Document) -> None:
        node: Any = document
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return edit


def drop(*keys: str | int) -> Callable[[Document], None]:
    def edit(document: Document) -> None:
        node: Any = document
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return edit


def rename(old: str, new: str) -> Callable[[Document], None]:
    def edit(document: Document) -> None:
        document[new] = document.pop(old)

    return edit


STAGE_CODES = "raw-material-acquisition, main-production, distribution, end-of-life-recycling"
CATEGORY_CODES = "portable, lmt, sli, industrial, stationary, ev"
STATUS_CODES = "original, repurposed, re-used, remanufactured, waste"

CASES: tuple[Case, ...] = (
    Case(
        "label-for-a-code",
        "label for a code",
        '"lifecycleStage": "Raw material extraction"',
        put("carbonFootprintPerLifecycleStage", 0, "lifecycleStage", value="Raw material extraction"),
        (
            "Life-cycle stage (lifecycleStage): 'Raw material extraction' is not one of the codes: "
            f"{STAGE_CODES}; did you mean raw-material-acquisition?",
        ),
    ),
    Case(
        "wrong-code",
        "wrong code",
        '"batteryCategory": "e-scooter"',
        put("batteryCategory", value="e-scooter"),
        (f"Battery category (batteryCategory): 'e-scooter' is not one of the codes: {CATEGORY_CODES}.",),
    ),
    Case(
        "code-in-capitals",
        "code written as its label",
        '"batteryStatus": "Original"',
        put("batteryStatus", value="Original"),
        (
            f"Battery status (batteryStatus): 'Original' is not one of the codes: {STATUS_CODES}; "
            "did you mean original?",
        ),
        note="Nothing is derived from the wrong status (no 'must link to its predecessor').",
    ),
    Case(
        "long-label-for-a-code",
        "description for a code",
        '"batteryCategory": "Electric vehicle battery"',
        put("batteryCategory", value="Electric vehicle battery"),
        (
            "Battery category (batteryCategory): 'Electric vehicle battery' is not one of the codes: "
            f"{CATEGORY_CODES}; did you mean ev?",
        ),
    ),
    Case(
        "number-with-unit",
        "number with its unit",
        '"batteryMass": "486.5 kg"',
        put("batteryMass", value="486.5 kg"),
        ("Battery mass (batteryMass) must be a decimal number, greater than 0, in kilograms.",),
    ),
    Case(
        "decimal-comma",
        "decimal comma",
        '"batteryMass": "486,5"',
        put("batteryMass", value="486,5"),
        ("Battery mass (batteryMass) must be a decimal number, greater than 0, in kilograms.",),
    ),
    Case(
        "number-for-text",
        "number where a text is expected",
        '"productIdentifier": 4711',
        put("productIdentifier", value=4711),
        ("Battery identifier (productIdentifier) must be a text without spaces.",),
    ),
    Case(
        "fraction-for-whole-number",
        "fraction where a whole number is expected",
        '"warrantyPeriod": 96.5',
        put("warrantyPeriod", value=96.5),
        ("Warranty period (warrantyPeriod) must be a whole number, 0 or more, in months.",),
    ),
    Case(
        "negative-number",
        "negative quantity",
        '"batteryMass": "-486.5"',
        put("batteryMass", value="-486.5"),
        ("Battery mass (batteryMass) must be a decimal number, greater than 0, in kilograms.",),
    ),
    Case(
        "share-above-100",
        "share above 100 %",
        '"renewableContent": "140"',
        put("renewableContent", value="140"),
        (
            "Renewable content share (renewableContent) must be a decimal number, between 0 and 100, "
            "in per cent.",
        ),
    ),
    Case(
        "date-time-for-date",
        "date-time where a date is expected",
        '"manufacturingDate": "2025-02-10T08:00:00Z"',
        put("manufacturingDate", value="2025-02-10T08:00:00Z"),
        ("Manufacturing date (manufacturingDate) must be a date (YYYY-MM-DD).",),
    ),
    Case(
        "local-date-format",
        "date in a local format",
        '"manufacturingDate": "10.02.2025"',
        put("manufacturingDate", value="10.02.2025"),
        ("Manufacturing date (manufacturingDate) must be a date (YYYY-MM-DD).",),
    ),
    Case(
        "country-name",
        "country name for a code",
        '"addressCountry": "Germany"',
        put("operatorInformation", "postalAddress", "addressCountry", value="Germany"),
        ("Country (addressCountry) must be a text that is a two-letter ISO 3166-1 country code such as DE.",),
    ),
    Case(
        "link-without-scheme",
        "link without its scheme",
        '"declarationOfConformity": "www.voltara.example/doc.pdf"',
        put("declarationOfConformity", value="www.voltara.example/doc.pdf"),
        (
            "EU declaration of conformity (declarationOfConformity) must be a link: an absolute URI with a "
            "scheme, such as https://example.com/document.pdf (no spaces).",
        ),
    ),
    Case(
        "identifier-with-spaces",
        "passport link that is no IRI",
        '"predecessor": ["passport of the original"]',
        put("predecessor", value=["passport of the original"]),
        ("Predecessor passport (predecessor) must be a passport identifier (an IRI).",),
    ),
    Case(
        "e-mail-without-at",
        "e-mail address without @",
        '"emailAddress": "passport-team.voltara.example"',
        put("operatorInformation", "emailAddress", value="passport-team.voltara.example"),
        ("E-mail address (emailAddress) must be a text that is an e-mail address (name@example.org).",),
    ),
    Case(
        "text-without-language",
        "text without its language",
        '"labelingMeaning": "Do not dispose of with household waste"',
        put("separateCollectionSymbol", "labelingMeaning", value="Do not dispose of with household waste"),
        ("Meaning of labels and symbols (labelingMeaning) must be a text with a language tag.",),
        note='Write `{"en": "..."}`.',
    ),
    Case(
        "missing-required",
        "required attribute left out",
        "no `manufacturingDate`",
        drop("manufacturingDate"),
        ("Manufacturing date (manufacturingDate) is required, exactly once.",),
    ),
    Case(
        "two-values-for-one",
        "list where one value is expected",
        '"batteryChemistry": ["nmc", "lfp"]',
        put("batteryChemistry", value=["nmc", "lfp"]),
        ("Battery chemistry (batteryChemistry) is required, exactly once.",),
    ),
    Case(
        "single-value-for-a-list",
        "single value for a list",
        '"extinguishingAgent": "water"',
        put("extinguishingAgent", value="water"),
        (),
        note="JSON-LD reads a single value as a list of one.",
    ),
    Case(
        "unknown-key",
        "unknown key",
        '"batteryWeight": "486.5"',
        put("batteryWeight", value="486.5"),
        (
            "A battery passport has no key 'batteryWeight': remove it, or use one of the keys of the "
            "published JSON Schema.",
        ),
    ),
    Case(
        "misspelt-key",
        "misspelt key",
        '"warrentyPeriod": 96',
        rename("warrantyPeriod", "warrentyPeriod"),
        ("A battery passport has no key 'warrentyPeriod'; did you mean warrantyPeriod?",),
    ),
    Case(
        "key-with-spaces",
        "key written as a label",
        '"battery mass": "486.5"',
        rename("batteryMass", "battery mass"),
        ("A battery passport has no key 'battery mass'; did you mean batteryMass?",),
    ),
    Case(
        "unknown-nested-key",
        "key of another object",
        'operator `"phone": "+49 5361 0"`',
        put("operatorInformation", "phone", value="+49 5361 0"),
        (
            "An organisation has no key 'phone': remove it, or use one of its keys: identifier, name, "
            "contactName, postalAddress, emailAddress, webAddress.",
        ),
    ),
    Case(
        "text-for-an-object",
        "text where an object is expected",
        '"manufacturerInformation": "ACME"',
        put("manufacturerInformation", value="ACME"),
        (
            "Manufacturer identifier and information (manufacturerInformation) must be an organisation "
            "object whose own fields are valid (see the errors reported on the nested object).",
            "An organisation must be identified: give its identifier (such as a Catena-X BPNL, an LEI or "
            "an EORI number), or else its name and postal address.",
        ),
        note="the text is validated as the organisation it stands for (focusNode is the text).",
    ),
    Case(
        "missing-operator",
        "missing operator",
        "no `operatorInformation`",
        drop("operatorInformation"),
        (
            "The passport names no operatorInformation.identifier; it must be your organisation "
            "'DE2847193650'.",
        ),
        answer="write",
        note="`POST /validate` accepts it: the shapes do not require an operator, the write does.",
    ),
    Case(
        "node-name-with-spaces",
        "`@id` that is no IRI",
        '"@id": "my passport"',
        put("@id", value="my passport"),
        (
            "'my passport' is not an IRI, so it cannot name a node (\"@id\"): leave @id out, or write an "
            "IRI without spaces.",
        ),
        answer="parse",
    ),
    Case(
        "long-decimal",
        "decimal with many digits",
        '"batteryMass": "486.50000000000000000001"',
        put("batteryMass", value="486.50000000000000000001"),
        (),
        note="every xsd:decimal lexical form is read as the value it denotes.",
    ),
    Case(
        "json-number-for-decimal",
        "JSON number for a decimal",
        '"batteryMass": 486.5',
        put("batteryMass", value=486.5),
        (),
        note='stored as "486.5"; the registry publishes decimals as strings.',
    ),
)


def render_table(cases: tuple[Case, ...] = CASES) -> str:
    """docs/messages.md: the introduction and one table row per case."""
    rows = []
    for case in cases:
        answered = "<br>".join(f"`{m}`" for m in case.messages) or "accepted"
        if case.answer != "validate":
            answered += {"write": " (422 on a write)", "parse": " (400)"}[case.answer]
        if case.note:
            answered += f" — {case.note}"
        answered = answered.replace("|", "\\|")
        sent = f"`{case.sent}`" if case.sent.startswith('"') else case.sent
        rows.append(f"| {case.mistake} | {sent} | {answered} |")
    return (
        "# What partners are told: the message for each kind of mistake\n\n"
        "Every message a partner reads comes from the shapes, the code lists of the vocabulary and the\n"
        "JSON-LD context (`validation/messages.py`). `POST /validate` answers them as `violations`, a\n"
        "write as the 422 problem's `violations`, and `passport-registry validate` prints them, one entry\n"
        "per problem. What follows from another mistake is left out (a wrong status derives no rule); a\n"
        "value JSON-LD would drop is kept as written and reported as wrong, never as missing.\n\n"
        f"Each row edits `examples/passports/{BASE}` in one place and shows the registry's answer, exactly.\n"
        "This file is generated from `tests/message_cases.py` and checked by `tests/api/test_messages.py`\n"
        "(`UPDATE_DOCS=1` rewrites it).\n\n"
        "| mistake | partner sends | message returned |\n"
        "|---|---|---|\n" + "\n".join(rows) + "\n"
    )

"""The literal conversions and code lists the importers share: exact, and never guessing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from passport_registry.importers import codes
from passport_registry.importers.document import PassportDocument
from passport_registry.importers.values import Converter, decimal_text, pointer


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.048, "0.048"),
        (486.5, "486.5"),
        (699, "699"),
        (1.6111172e38, "161111720000000000000000000000000000000"),
        (-1.7976931348623157e308, "-17976931348623157" + "0" * 292),
        (1e-7, "0.0000001"),
        ("12.50", "12.50"),
        (-0.0, "-0.0"),
    ],
)
def test_decimal_keeps_the_number_as_written(value: object, text: str) -> None:
    converter = Converter("test")
    assert converter.decimal("/x", value) == text
    assert converter.issues == []


@pytest.mark.parametrize("value", [True, "12 kg", " 12", float("nan"), float("inf"), None, [1]])
def test_decimal_reports_what_is_not_a_number(value: object) -> None:
    converter = Converter("test")
    assert converter.decimal("/x", value) is None
    assert [(i.kind, i.path) for i in converter.issues] == [("invalid", "/x")]


def test_integer_accepts_integral_values_only() -> None:
    converter = Converter("test")
    assert converter.integer("/a", 10**40) == "1" + "0" * 40  # JSON-LD would write 1E40: a string
    assert converter.integer("/b", 12.0) == 12
    assert converter.integer("/c", 12.5) is None
    assert converter.integer("/d", "+0012") == 12
    assert [i.path for i in converter.issues] == ["/c"]


def test_dates_keep_the_calendar_date_as_written() -> None:
    converter = Converter("test")
    assert converter.date("/a", "2025-06-17") == "2025-06-17"
    assert converter.date("/b", "2025-06-17T23:14:27.698-02:00") == "2025-06-17"  # not shifted to UTC
    assert converter.date("/c", "7172-75-08") is None
    assert converter.date("/d", "2025-06-17T99:00") is None
    assert converter.datetime("/e", "2025-08-08T16:19:26.601+02:00") == "2025-08-08T16:19:26.601+02:00"
    assert converter.datetime("/f", "2025-08-08") is None
    assert [i.path for i in converter.issues] == ["/c", "/d", "/f"]


def test_scaled_converts_units_exactly() -> None:
    converter = Converter("test")
    assert converter.scaled("/g", 20.0, Decimal("0.001")) == "0.02"
    assert converter.scaled("/ppm", 5.3, Decimal("0.0001")) == "0.00053"
    assert converter.scaled("/t", 0.4865, Decimal("1000")) == "486.5"


def test_iri_takes_any_scheme_but_refuses_relative_references() -> None:
    converter = Converter("test")
    assert converter.iri("/a", "telnet://192.0.2.16:80/") == "telnet://192.0.2.16:80/"
    assert converter.iri("/b", "urn:uuid:550e8400-e29b-41d4-a716-446655440000") is not None
    assert converter.iri("/c", "removal-manual.pdf") is None
    assert [i.path for i in converter.issues] == ["/c"]


def test_text_is_not_trimmed() -> None:
    assert Converter("test").text("/a", "7439-93-2 ") == "7439-93-2 "


@pytest.mark.parametrize(
    ("scheme", "label", "code"),
    [
        ("status", "Reused", "re-used"),
        ("status", "original", "original"),
        ("category", "SLI", "sli"),
        ("category", "lmt", "lmt"),
        ("chemistry", "Nickel Cobalt Manganese (NCM)", "nmc"),
        ("chemistry", "NCM", "nmc"),
        ("chemistry", "lithium iron phosphate", "lfp"),
        ("lifecycle-stage", "RawMaterialExtraction", "raw-material-acquisition"),
        ("lifecycle-stage", "main product production", "main-production"),
        ("extinguishing-agent", "Dry Powder", "dry-powder"),
        ("extinguishing-agent", "dry_powder", "dry-powder"),
        ("component", "Anode", "anode"),
        ("document-type", "BillOfMaterial", "bill-of-material"),
        ("hazard-class", "AcuteToxicity", "acute-toxicity"),
    ],
)
def test_code_lists_read_upstream_spellings_from_the_vocabulary(scheme: str, label: str, code: str) -> None:
    converter = Converter("test")
    assert converter.code("/x", label, scheme, scheme) == code
    assert converter.issues == []


def test_a_label_naming_two_concepts_is_reported_as_ambiguous() -> None:
    assert codes.bundled()["label-subject"].lookup("HazardousMaterial") == {"cadmium", "lead"}
    converter = Converter("test")
    assert converter.code("/s", "HazardousMaterial", "label-subject", "label subject") is None
    assert "cadmium, lead" in converter.issues[0].reason


def test_an_unknown_label_is_reported() -> None:
    converter = Converter("test")
    assert converter.code("/s", "graphene", "chemistry", "battery chemistry") is None
    assert converter.code("/t", 3, "chemistry", "battery chemistry") is None
    assert [(i.path, i.value) for i in converter.issues] == [("/s", "graphene"), ("/t", 3)]


def test_code_lists_hold_exactly_the_notations_of_each_scheme() -> None:
    assert codes.bundled()["status"].codes == {"original", "repurposed", "re-used", "remanufactured", "waste"}
    assert {"ev", "lmt", "industrial", "stationary", "portable", "sli"} == codes.bundled()["category"].codes


def test_country_names_become_iso_codes() -> None:
    converter = Converter("test")
    assert converter.country("/a", "Germany") == "DE"
    assert converter.country("/b", "SE") == "SE"
    assert converter.country("/c", "Atlantis") is None
    assert [i.path for i in converter.issues] == ["/c"]


def test_pointer_escapes_per_rfc_6901() -> None:
    assert pointer("a/b", 0, "m~n") == "/a~1b/0/m~0n"
    assert decimal_text(Decimal("1.5E+3")) == "1500"


def test_a_key_set_twice_with_different_values_is_an_issue() -> None:
    converter = Converter("test")
    document = PassportDocument()
    document.set(converter, "/a", "batteryMass", "1")
    document.set(converter, "/b", "batteryMass", "1")
    document.set(converter, "/c", "batteryMass", "2")
    assert document.as_jsonld(None)["batteryMass"] == "1"
    assert [i.path for i in converter.issues] == ["/c"]

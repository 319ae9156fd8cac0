"""GS1 identifiers as batteries carry them: GTINs (with their check digit), the element string
`(01)GTIN(21)SERIAL` passports give as battery identifier, and GS1 Digital Link URIs (`/01/GTIN/21/SERIAL`
on any host) that QR codes on products hold.

>>> element_string("4012345000016", "VX77NMC0004711")
'(01)04012345000016(21)VX77NMC0004711'
>>> from_digital_link("https://id.gs1.org/01/04012345000016/21/VX77NMC0004711?linkType=all")
('04012345000016', 'VX77NMC0004711')
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from passport_registry.errors import BadRequest

#: GS1 General Specifications 7.11: AI (21) is at most 20 characters of GS1 character set 82.
_SERIAL = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}")
_DIGITAL_LINK = re.compile(r"(?:^|/)01/(\d{8,14})(?:/22/[^/]+)?(?:/10/[^/]+)?/21/([^/]+)/?$")


def check_digit_ok(digits: str) -> bool:
    """Whether the last digit of a GTIN is its GS1 check digit (weights 3 and 1 from the right).

    >>> check_digit_ok("04012345000016"), check_digit_ok("04012345000017")
    (True, False)
    """
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def gtin14(gtin: str) -> str:
    """A GTIN-8, -12, -13 or -14 as the 14 digits GS1 Digital Link uses. Raises BadRequest for anything
    that cannot be a GTIN (other lengths, non-digits). The check digit is not enforced here: a battery
    is found by the identifier its passport gives, and `check_digit_ok` tells a caller why none is."""
    if not gtin.isascii() or not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        raise BadRequest(f"{gtin!r} is not a GTIN: 8, 12, 13 or 14 digits.")
    return gtin.zfill(14)


def element_string(gtin: str, serial: str) -> str:
    """The GS1 element string `(01){14-digit GTIN}(21){serial}`: a battery identifier as passports give
    it. Raises BadRequest for a malformed GTIN or serial number."""
    if not _SERIAL.fullmatch(serial):
        raise BadRequest(
            f"{serial!r} is not a GS1 serial number (AI 21): 1 to 20 characters of GS1 character set 82."
        )
    return f"(01){gtin14(gtin)}(21){serial}"


def from_digital_link(text: str) -> tuple[str, str] | None:
    """The (GTIN, serial) a GS1 Digital Link URI names, or None when `text` is none (any host; key
    qualifiers 22 and 10 may stand between them, as the standard orders them)."""
    if "/01/" not in text:
        return None
    path = urlsplit(text).path if "://" in text else text.split("?", 1)[0]
    found = _DIGITAL_LINK.search(path)
    if found is None:
        return None
    return found.group(1), unquote(found.group(2))

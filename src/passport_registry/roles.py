"""The roles an account can hold; what each role may do is decided by the code that checks it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A role held by an account (DESIGN.md section 4).

    Repairers, recyclers and other parties with a legitimate interest hold `legitimate_interest`.

    >>> Role("notified_body") is Role.NOTIFIED_BODY
    True
    """

    ADMIN = "admin"
    ECONOMIC_OPERATOR = "economic_operator"
    LEGITIMATE_INTEREST = "legitimate_interest"
    NOTIFIED_BODY = "notified_body"
    MARKET_SURVEILLANCE = "market_surveillance"
    COMMISSION = "commission"

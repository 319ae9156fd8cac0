"""`api.conditional`: the order in which RFC 9110 section 13.2.2 evaluates preconditions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from passport_registry.api.conditional import Validators, evaluate, http_date
from passport_registry.errors import PreconditionFailed


def test_evaluation_order_follows_rfc_9110() -> None:
    now = datetime(2027, 2, 18, 9, 0, 30, 250_000, tzinfo=UTC)
    current = Validators(etag='"a"', last_modified=now)
    stamp = http_date(now)
    assert stamp == "Thu, 18 Feb 2027 09:00:30 GMT"
    assert evaluate({}, current) is False
    assert evaluate({"if-none-match": '"b", W/"a"'}, current) is True
    assert evaluate({"if-modified-since": stamp}, current) is True
    assert evaluate({"if-modified-since": stamp}, current, method="POST") is False
    with pytest.raises(PreconditionFailed):
        evaluate({"if-none-match": "*"}, current, method="PUT")
    with pytest.raises(PreconditionFailed):
        evaluate({"if-match": '"b"', "if-none-match": '"a"'}, current)
    # If-Match present: If-Unmodified-Since is not looked at.
    assert (
        evaluate({"if-match": '"a"', "if-unmodified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}, current)
        is False
    )
    # An empty field is an empty list: as good as no field.
    assert evaluate({"if-match": "", "if-none-match": " "}, current) is False


def test_an_invalid_date_is_ignored() -> None:
    current = Validators(etag='"a"', last_modified=datetime(2027, 2, 18, tzinfo=UTC))
    assert evaluate({"if-modified-since": "yesterday"}, current) is False
    assert evaluate({"if-unmodified-since": "Mon, 99 Foo 2001"}, current) is False

"""The cursors of `list_users`, the same in every account store: an opaque name for a creation position."""

from __future__ import annotations

import base64
import binascii

from passport_registry.errors import BadRequest


def encode_cursor(seq: int) -> str:
    """The cursor that continues after the user created at position `seq`.

    >>> decode_cursor(encode_cursor(41))
    41
    """
    return base64.urlsafe_b64encode(f"u{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor of `encode_cursor` names; raises `BadRequest` for any other text."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("u") or not text[1:].isdigit():
            raise ValueError(cursor)
        return int(text[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest("The cursor is not one this registry issued.") from exc

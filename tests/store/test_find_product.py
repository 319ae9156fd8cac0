"""`find_product`: the live passport of a battery identifier, on both backends (what EN 18222's
ReadDPPByProductId and ReadDPPIdsByProductIds resolve through)."""

from __future__ import annotations

from pyoxigraph import NamedNode

from passport_registry.store import PassportStore, Status

from .helpers import passport_triples

FIRST = NamedNode("https://registry.example/passports/first")
SECOND = NamedNode("https://registry.example/passports/second")


def test_finds_the_live_passport_of_a_battery_and_follows_its_changes(store: PassportStore) -> None:
    assert store.find_product("BAT-1") is None
    store.create(FIRST, "maker", passport_triples(battery="BAT-1"))
    store.create(SECOND, "maker", passport_triples(battery="BAT-2"))
    assert store.find_product("BAT-1") == FIRST
    assert store.find_product("BAT-2") == SECOND
    assert store.find_product("bat-1") is None and store.find_product('BAT-1" } #') is None
    # A new battery identifier in a new version; the old one no longer finds it.
    store.replace(FIRST, passport_triples(battery="BAT-3"), 1, by="maker")
    assert store.find_product("BAT-1") is None and store.find_product("BAT-3") == FIRST
    # An ended passport is not found; the battery may get a new live one.
    store.delete(SECOND, by="maker", status=Status.CEASED)
    assert store.find_product("BAT-2") is None

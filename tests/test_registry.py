"""The registry's shared resources open from settings, persist on disk and close cleanly."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from passport_registry.access import AccessGroup
from passport_registry.config import Settings
from passport_registry.services.registry import Registry

BPR = "https://w3id.org/passport-registry/battery#"


def test_opens_its_store_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(dev=True, data_dir=tmp_path)
    registry = Registry.open(settings)
    try:
        assert (tmp_path / "store").is_dir()
        assert registry.resolver.group_of(ox.NamedNode(BPR + "batteryMass")) is AccessGroup.PUBLIC
        assert registry.resolver.group_of(ox.NamedNode(BPR + "batteryStatus")) is (
            AccessGroup.LEGITIMATE_INTEREST
        )
        assert registry.catalogue.describe(BPR + "batteryMass").unit == "kg"
    finally:
        registry.close()
    with pytest.raises(RuntimeError):
        registry.store.versions(ox.NamedNode("https://registry.example/passports/x"))


def test_authorities_policy_comes_from_settings() -> None:
    registry = Registry.open(Settings(dev=True, authorities_read_item_data=True))
    try:
        assert registry.policy.authorities_read_item_data
    finally:
        registry.close()

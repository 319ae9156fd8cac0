"""The passport-side resources of one running registry, opened together at start-up and closed together."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

from passport_registry import resources
from passport_registry.access import AccessPolicy, GroupResolver
from passport_registry.catalogue import Catalogue
from passport_registry.clock import Clock, utc_now
from passport_registry.config import Settings
from passport_registry.jsonld import ContextIndex
from passport_registry.store import EmbeddedPassportStore, PassportStore, RemotePassportStore
from passport_registry.store.write_lock import PostgresWriteLock, WriteLock, is_postgres_url
from passport_registry.validation import Validator


@dataclass(frozen=True, slots=True)
class Registry:
    """Everything the passport services share: the store, the compiled shapes and the vocabulary views.

    Built once per process (shapes compiled, ontology indexed); every request reads it, none mutates it.
    """

    store: PassportStore
    validator: Validator
    resolver: GroupResolver
    policy: AccessPolicy
    context: ContextIndex
    catalogue: Catalogue

    @classmethod
    def open(cls, settings: Settings, *, clock: Clock = utc_now) -> Registry:
        """Open the passport store of `settings`: the SPARQL server at `store_url` when set (after its
        start-up checks: ConfigurationError if it lacks a guarantee), else `<data_dir>/store/` (in
        memory without a data dir)."""
        vocabulary = [
            quad.triple
            for document in (resources.ontology_bytes(), resources.vocabularies_bytes())
            for quad in pyoxigraph.parse(document, format=pyoxigraph.RdfFormat.TURTLE)
        ]
        resolver = GroupResolver.from_triples(vocabulary)
        store: PassportStore
        if settings.store_url is not None:
            store = RemotePassportStore.connect(
                resolver,
                settings.store_url,
                update_url=settings.store_update_url,
                graph_store_url=settings.store_graph_store_url,
                lock_path=settings.store_write_lock,
                lock=shared_write_lock(settings),
                max_results=settings.sparql_max_results,
                clock=clock,
            )
        else:
            path = settings.data_dir / "store" if settings.data_dir is not None else None
            if path is not None:
                path.mkdir(parents=True, exist_ok=True)
            store = EmbeddedPassportStore(
                resolver, path, clock=clock, max_staleness_s=settings.sparql_max_staleness_s
            )
        store.load_vocabulary(vocabulary)
        return cls(
            store=store,
            validator=Validator.from_resources(),
            resolver=resolver,
            policy=AccessPolicy(authorities_read_item_data=settings.authorities_read_item_data),
            context=ContextIndex(resources.context_document()),
            catalogue=Catalogue(vocabulary),
        )

    def close(self) -> None:
        """Close the store; later store calls fail."""
        self.store.close()


def shared_write_lock(settings: Settings) -> WriteLock | None:
    """The write lock every host shares when the accounts live in PostgreSQL and no lock file is set:
    an advisory lock in the account database, keyed by the store's URL (docs/deployment.md)."""
    if settings.store_url is None or settings.store_write_lock is not None:
        return None
    if not is_postgres_url(settings.accounts_url):
        return None
    assert settings.accounts_url is not None
    return PostgresWriteLock(settings.accounts_url, settings.store_url)

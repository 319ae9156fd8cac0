"""The passport-side resources of one running registry, opened together at start-up and closed together."""

from __future__ import annotations

from dataclasses import dataclass

from passport_registry.access import AccessPolicy, GroupResolver
from passport_registry.catalogue import Catalogue
from passport_registry.clock import Clock, utc_now
from passport_registry.config import Settings
from passport_registry.errors import ConfigurationError
from passport_registry.jsonld import ContextIndex
from passport_registry.store import EmbeddedPassportStore, PassportStore, RemotePassportStore
from passport_registry.store.write_lock import PostgresWriteLock, WriteLock, is_postgres_url
from passport_registry.validation import Validator
from passport_registry.vocabulary import Vocabulary

#: What a passport IRI holds between the base URL and its id (`PassportService.mint`).
PASSPORTS_PATH = "/passports/"


@dataclass(frozen=True, slots=True)
class Registry:
    """Everything the passport services share: the store, the compiled shapes and the vocabulary views.

    Built once per process (shapes compiled, ontology indexed); every request reads it, none mutates it.
    `resolver`, `context` and `catalogue` are views of `vocabulary`, kept as fields for their callers.
    """

    vocabulary: Vocabulary
    store: PassportStore
    validator: Validator
    resolver: GroupResolver
    policy: AccessPolicy
    context: ContextIndex
    catalogue: Catalogue

    @classmethod
    def open(cls, settings: Settings, *, clock: Clock = utc_now, bind: bool = True) -> Registry:
        """Open the passport store of `settings`: the SPARQL server at `store_url` when set (after its
        start-up checks: ConfigurationError if it lacks a guarantee), else `<data_dir>/store/` (in
        memory without a data dir). ConfigurationError when the store's passports were minted under
        another base URL (`bind_base_url`; `bind=False` skips that, for readers such as `export`)."""
        vocabulary = Vocabulary.load(settings.vocabulary_dir)
        resolver = GroupResolver.from_catalogue(vocabulary.catalogue)
        validator = Validator.from_vocabulary(vocabulary)
        store = _open_store(settings, resolver, clock)
        try:
            if bind:
                bind_base_url(store, settings, rebase=False)
            store.load_vocabulary(vocabulary.triples)
        except BaseException:
            store.close()
            raise
        return cls(
            vocabulary=vocabulary,
            store=store,
            validator=validator,
            resolver=resolver,
            policy=AccessPolicy(authorities_read_item_data=settings.authorities_read_item_data),
            context=vocabulary.context_index,
            catalogue=vocabulary.catalogue,
        )

    def close(self) -> None:
        """Close the store; later store calls fail."""
        self.store.close()


def _resolver(settings: Settings) -> GroupResolver:
    return GroupResolver.from_catalogue(Vocabulary.load(settings.vocabulary_dir).catalogue)


def _open_store(settings: Settings, resolver: GroupResolver, clock: Clock) -> PassportStore:
    if settings.store_url is not None:
        return RemotePassportStore.connect(
            resolver,
            settings.store_url,
            update_url=settings.store_update_url,
            graph_store_url=settings.store_graph_store_url,
            lock_path=settings.store_write_lock,
            lock=shared_write_lock(settings),
            max_results=settings.sparql_max_results,
            clock=clock,
        )
    path = settings.data_dir / "store" if settings.data_dir is not None else None
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
    return EmbeddedPassportStore(resolver, path, clock=clock, max_staleness_s=settings.sparql_max_staleness_s)


def recorded_base_url(store: PassportStore) -> str | None:
    """The base URL the store's passports were minted under: the recorded one, else (a store made
    before it was recorded) the one its first passport IRI names; None for an empty store."""
    recorded = store.base_url()
    if recorded is not None:
        return recorded
    first = store.list_owned(None, limit=1).items
    if first and PASSPORTS_PATH in first[0].iri.value:
        return first[0].iri.value.rsplit(PASSPORTS_PATH, 1)[0]
    return None


def bind_base_url(store: PassportStore, settings: Settings, *, rebase: bool) -> str | None:
    """Make sure the store's passport IRIs lie under `settings.base_url`, recording it on first use.

    A store bound to another base URL is moved there when `rebase` is true (embedded stores only; the
    old base URL is returned), else refused with ConfigurationError saying what to do.
    """
    wanted = settings.base_url
    recorded = recorded_base_url(store)
    if recorded == wanted:
        if store.base_url() is None:
            store.record_base_url(wanted)
        return None
    if recorded is None:
        store.record_base_url(wanted)
        return None
    if rebase and isinstance(store, EmbeddedPassportStore):
        store.rebase(recorded, wanted)
        return recorded
    where = (
        f"--data-dir {settings.data_dir}"
        if settings.store_url is None
        else f"--store-url {settings.store_url}"
    )
    move = (
        f"or, to move its passports to {wanted} (their IRIs change; stop the server first): "
        f"passport-registry rebase --data-dir {settings.data_dir} --base-url {wanted}"
        if settings.store_url is None
        else "or export the passports and import them into a registry under the new base URL"
    )
    raise ConfigurationError(
        f"The passports in {where} were minted under {recorded}, not {wanted}: give --base-url "
        f"{recorded} (or serve on that host and port), {move}."
    )


def bind_store_base_url(settings: Settings, *, rebase: bool, clock: Clock = utc_now) -> str | None:
    """Open the store of `settings`, `bind_base_url` it (moving an embedded store when `rebase`) and
    close it; the base URL it was moved from, or None when nothing moved."""
    store = _open_store(settings, _resolver(settings), clock)
    try:
        return bind_base_url(store, settings, rebase=rebase)
    finally:
        store.close()


def stored_base_url(settings: Settings, *, clock: Clock = utc_now) -> str | None:
    """The base URL the store of `settings` is bound to (`recorded_base_url`), or None (an empty store)."""
    store = _open_store(settings, _resolver(settings), clock)
    try:
        return recorded_base_url(store)
    finally:
        store.close()


def shared_write_lock(settings: Settings) -> WriteLock | None:
    """The write lock every host shares when the accounts live in PostgreSQL and no lock file is set:
    an advisory lock in the account database, keyed by the store's URL (docs/deployment.md)."""
    if settings.store_url is None or settings.store_write_lock is not None:
        return None
    if not is_postgres_url(settings.accounts_url):
        return None
    assert settings.accounts_url is not None
    return PostgresWriteLock(settings.accounts_url, settings.store_url)

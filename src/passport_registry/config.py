"""Settings, read once at start-up from flags or `PASSPORT_REGISTRY_<NAME>` environment variables."""

from __future__ import annotations

import ipaddress
import re
import secrets
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from passport_registry.errors import ConfigurationError
from passport_registry.vocabulary.terms import CONTEXT_PATH

#: An origin as browsers send it in `Origin`: scheme, host and optional port, nothing more.
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")

#: Secrets that must never sign tokens outside development mode.
_KNOWN_WEAK_SECRETS = frozenset({"", "change-me", "changeme", "secret", "dev", "development"})


class Settings(BaseSettings):
    """Everything the service needs to start; built by the CLI or the test suite, never at import.

    Outside development mode a missing or well-known `secret_key` is refused, so a registry can
    never go live signing tokens with a default secret.
    """

    model_config = SettingsConfigDict(env_prefix="PASSPORT_REGISTRY_", extra="ignore")

    base_url: str = "http://127.0.0.1:8000"
    context_url: str | None = Field(
        default=None,
        description=(
            "URL that served JSON-LD documents name as their @context (default: the context served by this "
            "registry, {base_url}/contexts/battery-passport.jsonld). Input naming it, or the stable w3id.org "
            "URL, is read with the bundled context; nothing is ever fetched."
        ),
    )
    data_dir: Path | None = Field(
        default=None,
        description="Directory of the embedded store; None keeps everything in memory.",
    )
    vocabulary_dir: Path | None = Field(
        default=None,
        description=(
            "Folder holding this registry's own ontology.ttl, vocabularies.ttl, shapes.ttl and "
            "context.jsonld (edited copies of the bundled files, docs/vocabulary.md); None: the bundled ones."
        ),
    )
    store_url: str | None = Field(
        default=None,
        description="SPARQL 1.1 server to use instead of the embedded store: its query endpoint, or the "
        "root of an `oxigraph serve` (docs/deployment.md).",
    )
    store_update_url: str | None = Field(default=None, description="Its update endpoint, if not derived.")
    store_graph_store_url: str | None = Field(
        default=None, description="Its Graph Store Protocol endpoint, if not derived."
    )
    store_write_lock: Path | None = Field(
        default=None,
        description="Lock file shared by every worker of this host writing to `store_url` (default: an "
        "advisory lock in the PostgreSQL account database when `accounts_url` is one, shared by every host; "
        "else a file in the temp directory, named after the URL).",
    )
    accounts_url: str | None = Field(
        default=None,
        description=(
            "PostgreSQL database of the accounts and the login throttle (`postgresql://...`), shared by "
            "every worker; None keeps them in SQLite in the data directory (docs/deployment.md)."
        ),
    )
    accounts_pool_size: int = Field(
        default=10, ge=1, le=1000, description="Connections each process keeps at most to `accounts_url`."
    )
    accounts_timeout_s: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="How long a request waits for the account database before it is answered 503.",
    )
    secret_key: str = ""
    dev: bool = False
    access_token_minutes: int = Field(default=60, ge=1, le=24 * 60)
    max_request_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    body_timeout_s: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="How long a client may take to send a request body; 408 after (slow-body clients).",
    )
    sparql_timeout_s: float = Field(default=5.0, gt=0)
    sparql_max_results: int = Field(default=100_000, ge=1)
    sparql_max_query_bytes: int = Field(
        default=512 * 1024, ge=1024, description="The largest SPARQL query text accepted (413 beyond)."
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed; empty (the default): no one's, the client is the peer."
        ),
    )
    cors_credentialed_origins: str = Field(
        default="",
        description=(
            "Comma-separated origins (`https://app.example`) allowed to make credentialed cross-origin "
            "requests (`credentials: include`); empty (the default): none. Every other request gets "
            "`Access-Control-Allow-Origin: *` without credentials."
        ),
    )
    sparql_max_staleness_s: float = Field(
        default=1.0,
        ge=0,
        description="SPARQL reads every write acknowledged this many seconds before the query (0: all).",
    )
    authorities_read_item_data: bool = Field(
        default=False,
        description="Whether authorities (notified bodies, MSAs, Commission) read Annex XIII point 4.",
    )

    @property
    def served_context_url(self) -> str:
        """The `@context` URL of the documents this registry serves."""
        return self.context_url or self.base_url + CONTEXT_PATH

    @model_validator(mode="after")
    def _require_a_real_secret(self) -> Settings:
        if self.secret_key.strip().lower() in _KNOWN_WEAK_SECRETS:
            if not self.dev:
                raise ConfigurationError(
                    "PASSPORT_REGISTRY_SECRET_KEY is missing or a well-known default; "
                    "set a long random secret, or start in development mode (--dev)."
                )
            # Development mode: a fresh random secret per process, so nothing default ever signs.
            self.secret_key = secrets.token_urlsafe(32)
        elif len(self.secret_key) < 32 and not self.dev:
            raise ConfigurationError("PASSPORT_REGISTRY_SECRET_KEY must be at least 32 characters.")
        self.base_url = self.base_url.rstrip("/")
        if self.accounts_url is not None:
            check_accounts_url(self.accounts_url)
        self.trusted_proxies = ",".join(self.proxy_list())
        self.cors_credentialed_origins = ",".join(self.credentialed_origins())
        return self

    def credentialed_origins(self) -> list[str]:
        """`cors_credentialed_origins` as a list of exact origins; raises ConfigurationError for anything
        else (a path, a wildcard), which would widen or silently narrow who is trusted."""
        origins = [o.strip() for o in self.cors_credentialed_origins.split(",") if o.strip()]
        for origin in origins:
            if not _ORIGIN.fullmatch(origin):
                raise ConfigurationError(
                    f"PASSPORT_REGISTRY_CORS_CREDENTIALED_ORIGINS: {origin!r} is not an origin "
                    "(scheme://host[:port], no path, no wildcard)."
                )
        return origins

    def proxy_list(self) -> list[str]:
        """`trusted_proxies` as a list, each entry an IP address or network; raises ConfigurationError
        for anything else (a typo must not silently trust, or distrust, a proxy)."""
        networks = []
        for entry in (e.strip() for e in self.trusted_proxies.split(",")):
            if not entry:
                continue
            try:
                networks.append(str(ipaddress.ip_network(entry, strict=False)))
            except ValueError as exc:
                raise ConfigurationError(
                    f"PASSPORT_REGISTRY_TRUSTED_PROXIES: {entry!r} is not an IP address or network."
                ) from exc
        return networks

    @model_validator(mode="after")
    def _context_url_is_absolute(self) -> Settings:
        if self.context_url is not None and not self.context_url.startswith(("http://", "https://")):
            raise ConfigurationError("PASSPORT_REGISTRY_CONTEXT_URL must be an absolute http(s) URL.")
        return self


#: The URL schemes of an account database other than the embedded SQLite file.
ACCOUNTS_URL_SCHEMES = ("postgresql", "postgres")


def check_accounts_url(url: str) -> None:
    """Refuse an accounts URL that is not a PostgreSQL URL (a typo must not fall back to SQLite).

    Raises ConfigurationError, naming the scheme but never the URL (it may carry a password).
    """
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in ACCOUNTS_URL_SCHEMES:
        raise ConfigurationError(
            "PASSPORT_REGISTRY_ACCOUNTS_URL must be a PostgreSQL URL (postgresql://user@host/database); "
            f"got {'a ' + repr(scheme) + ' URL' if scheme else 'something that is not a URL'}. "
            "Leave it unset to keep accounts in SQLite in the data directory."
        )

"""The application factory: wires settings, stores and routers; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from passport_registry import __version__
from passport_registry.api import api_keys, auth, sparql, users
from passport_registry.api.problems import install_problem_handlers
from passport_registry.config import Settings
from passport_registry.services.accounts import Accounts
from passport_registry.services.registry import Registry


def create_app(settings: Settings, *, accounts: Accounts | None = None) -> FastAPI:
    """Build the registry's ASGI app for `settings`; resources open in the lifespan and close after it.

    `accounts` lets the caller (the CLI, a test) open the account services itself and keep them;
    otherwise the lifespan opens them from `settings` and closes them at shutdown.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.accounts = accounts or Accounts.open(settings)
        app.state.registry = Registry.open(settings)
        try:
            yield
        finally:
            app.state.registry.close()
            if accounts is None:
                app.state.accounts.close()

    app = FastAPI(
        title="Battery Passport Registry",
        version=__version__,
        description=(
            "EU battery passports (Regulation (EU) 2023/1542, Art. 77 and Annex XIII) as linked data. "
            "Errors are RFC 9457 problem details."
        ),
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.include_router(auth.router)
    app.include_router(api_keys.router)
    app.include_router(users.router)
    app.include_router(sparql.router)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness: answers 200 while the process serves requests."""
        return {"status": "ok"}

    return app

"""The application factory: wires settings, stores and routers; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from passport_registry import __version__
from passport_registry.api import (
    aas,
    api_keys,
    auth,
    dpp,
    front,
    links,
    passport_lifecycle,
    passport_reads,
    passport_writes,
    resolver,
    session,
    sparql,
    users,
    validation,
    vocabulary,
)
from passport_registry.api.cors import Cors
from passport_registry.api.deps import CREDENTIALS_CHECKED
from passport_registry.api.html import PassportPage
from passport_registry.api.limits import UrlLimit
from passport_registry.api.methods import MethodSemantics
from passport_registry.api.openapi import install_openapi
from passport_registry.api.pages import Pages
from passport_registry.api.problems import install_problem_handlers
from passport_registry.api.representations import Renderer
from passport_registry.config import Settings
from passport_registry.services.aas import AasService
from passport_registry.services.accounts import Accounts
from passport_registry.services.backups import ControlChannel
from passport_registry.services.dpp import DppService
from passport_registry.services.links import SuccessorLinks
from passport_registry.services.passports import PassportService
from passport_registry.services.registry import Registry


def create_app(
    settings: Settings,
    *,
    accounts: Accounts | None = None,
    on_startup: Callable[[PassportService], None] | None = None,
) -> FastAPI:
    """Build the registry's ASGI app for `settings`; resources open in the lifespan and close after it.

    `accounts` lets the caller (the CLI, a test) open the account services itself and keep them;
    otherwise the lifespan opens them from `settings` and closes them at shutdown. `on_startup` runs
    once the passport service is open, before the first request (the CLI loads examples with it).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.accounts = accounts or Accounts.open(settings)
        app.state.registry = registry = Registry.open(settings)
        app.state.passports = PassportService(
            registry,
            settings.base_url,
            max_bytes=settings.max_request_bytes,
            context_url=settings.served_context_url,
        )
        app.state.links = SuccessorLinks(app.state.passports)
        app.state.dpp = DppService(app.state.passports)
        app.state.pages = Pages()
        app.state.aas = AasService(app.state.passports)
        app.state.renderer = Renderer(PassportPage(registry.catalogue), settings.served_context_url)
        if on_startup is not None:
            on_startup(app.state.passports)
        control = ControlChannel.open(settings.data_dir, registry.store)
        try:
            yield
        finally:
            if control is not None:
                control.close()
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
        # `/docs` is served by `front` from the package's own copy of Swagger UI (no CDN); ReDoc is off.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    install_problem_handlers(app)
    app.add_middleware(MethodSemantics)
    app.add_middleware(Cors, credentialed_origins=settings.credentialed_origins())
    app.add_middleware(UrlLimit)  # outermost: nothing reads an oversized URL
    app.include_router(passport_reads.read_router)  # first: the most requested route is matched soonest
    # Writes before the other reads keeps each path's operations in the order the API has always listed
    # them (POST /passports before GET /passports).
    app.include_router(passport_writes.router)
    app.include_router(passport_reads.router)
    app.include_router(passport_lifecycle.router)
    app.include_router(links.router)
    app.include_router(auth.router)
    app.include_router(api_keys.router)
    app.include_router(users.router)
    app.include_router(validation.router)
    app.include_router(vocabulary.router)
    app.include_router(sparql.router)
    app.include_router(dpp.router)
    app.include_router(aas.router)
    app.include_router(front.router)
    app.include_router(session.router)
    app.include_router(resolver.router)
    install_openapi(app)

    @app.get("/health", tags=["service"], dependencies=CREDENTIALS_CHECKED)
    def health() -> dict[str, str]:
        """Liveness: answers 200 while the process serves requests."""
        return {"status": "ok"}

    return app


def create_app_from_environment() -> FastAPI:
    """The app of one worker of `serve --workers N`: settings from `PASSPORT_REGISTRY_*` variables."""
    return create_app(Settings())

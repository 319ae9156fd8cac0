"""Account management: create, read, change and deactivate users, and their personal API keys.

Each method takes the acting user and checks what it may do, so the rules hold whoever calls
(HTTP routes, the CLI, tests). Users are never deleted; deactivation revokes their tokens and keys.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import Enum

from passport_registry.accounts.models import ApiKey, User, UserPage
from passport_registry.accounts.store import AccountStore
from passport_registry.clock import Clock
from passport_registry.errors import Forbidden, NotFound, TooManyRequests, Unauthenticated, UnprocessableInput
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher, hash_api_secret, new_api_key
from passport_registry.throttle import LoginThrottle

log = logging.getLogger(__name__)

#: Password length bounds, the same for every way an account gets a password.
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256


class Unset(Enum):
    """Marks a field a change leaves as it is (None may be a value, e.g. clearing an organisation)."""

    UNSET = "unset"


UNSET = Unset.UNSET


@dataclass(frozen=True, slots=True)
class UserChanges:
    """What an admin changes on an account; fields left UNSET keep their value."""

    email: str | Unset = UNSET
    display_name: str | Unset = UNSET
    organisation: str | Unset | None = UNSET
    roles: frozenset[Role] | Unset = UNSET
    active: bool | Unset = UNSET
    password: str | Unset = UNSET


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A development-mode account and the password it was given (shown once on the console)."""

    email: str
    password: str
    roles: frozenset[Role]


#: The organisation (economic operator identifier) of the development-mode demo operator.
DEMO_ORGANISATION = "DEMO-EO-0001"


def _require_admin(actor: User) -> None:
    if not (actor.active and Role.ADMIN in actor.roles):
        raise Forbidden("Only an admin may do this.")


def _check_organisation(roles: frozenset[Role], organisation: str | None) -> None:
    if Role.ECONOMIC_OPERATOR in roles and not organisation:
        raise UnprocessableInput(
            "An economic operator needs an organisation (its economic operator identifier)."
        )


class UserService:
    """Users and API keys over an `AccountStore`. Passwords are hashed here and never leave."""

    def __init__(
        self, store: AccountStore, hasher: PasswordHasher, clock: Clock, throttle: LoginThrottle
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        self._throttle = throttle

    # --- users -------------------------------------------------------------------------------

    def _new_user(
        self,
        *,
        email: str,
        password: str,
        display_name: str,
        organisation: str | None,
        roles: frozenset[Role],
    ) -> User:
        _check_organisation(roles, organisation)
        now = self._clock()
        user = User(
            id=str(uuid.uuid4()),
            email=email,
            display_name=display_name,
            organisation=organisation,
            roles=roles,
            active=True,
            created_at=now,
            updated_at=now,
        )
        self._store.add_user(user, self._hasher.hash(password))
        log.info("user %s created with roles %s", user.id, ",".join(sorted(roles)) or "-")
        return user

    def create_user(
        self,
        actor: User,
        *,
        email: str,
        password: str,
        display_name: str,
        organisation: str | None = None,
        roles: frozenset[Role] = frozenset(),
    ) -> User:
        """A new active account; admin only. Raises `Conflict` if the email is taken (any case)."""
        _require_admin(actor)
        return self._new_user(
            email=email, password=password, display_name=display_name, organisation=organisation, roles=roles
        )

    def bootstrap_admin(self, *, email: str, password: str, display_name: str = "Administrator") -> User:
        """A new admin account, created without an acting user: for the command line, which has the files."""
        return self._new_user(
            email=email,
            password=password,
            display_name=display_name,
            organisation=None,
            roles=frozenset({Role.ADMIN}),
        )

    def get_user(self, actor: User, user_id: str) -> User:
        """One account: an admin reads any, everyone else only its own. Raises `NotFound`."""
        if actor.id != user_id:
            _require_admin(actor)
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFound(f"No user {user_id}.")
        return user

    def list_users(
        self,
        actor: User,
        *,
        role: Role | None = None,
        active: bool | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> UserPage:
        """Accounts in creation order, a page at a time; admin only."""
        _require_admin(actor)
        return self._store.list_users(role=role, active=active, cursor=cursor, limit=limit)

    def update_me(
        self,
        actor: User,
        *,
        display_name: str | None = None,
        email: str | None = None,
        new_password: str | None = None,
        current_password: str | None = None,
        client_address: str | None = None,
    ) -> User:
        """Change one's own name, email or password.

        Email and password changes need the current password (so a stolen token or key cannot take
        the account over); wrong ones are throttled like logins from `client_address`. A password
        change ends every token issued so far; API keys stay valid.
        """
        if email is not None or new_password is not None:
            self._require_password(actor, current_password, client_address)
        user = self._store.get_user(actor.id)
        if user is None or not user.active:
            raise Unauthenticated("The account is no longer active.")
        changed = replace(
            user,
            display_name=user.display_name if display_name is None else display_name,
            email=user.email if email is None else email,
            token_generation=user.token_generation + (new_password is not None),
            updated_at=self._clock(),
        )
        password_hash = None if new_password is None else self._hasher.hash(new_password)
        self._store.update_user(changed, password_hash=password_hash)
        if new_password is not None:
            log.info("user %s changed its password", user.id)
        return changed

    def _require_password(self, user: User, password: str | None, client_address: str | None) -> None:
        """Raise Forbidden unless `password` is the user's current one.

        Throttled like a login of that account from `client_address`: a wrong password counts as a
        failed login, and a blocked pair gets TooManyRequests before the password is looked at.
        """
        if password is None:
            raise Forbidden("Changing the email or password needs the current password (current_password).")
        wait = self._throttle.retry_after(user.email, client_address)
        if wait is not None:
            raise TooManyRequests(
                "Too many wrong passwords; try again later.",
                headers={"Retry-After": str(wait)},
                retry_after=wait,
            )
        stored = self._store.password_hash(user.id)
        if stored is None or not self._hasher.verify(stored, password):
            self._throttle.record_failure(user.email, client_address)
            raise Forbidden("The current password is wrong.")

    def update_user(
        self,
        actor: User,
        user_id: str,
        changes: UserChanges,
        *,
        current_password: str | None = None,
        client_address: str | None = None,
    ) -> User:
        """Change another account (roles, activation, name, email, organisation, password); admin only.

        An admin changing its *own* email or password needs `current_password`, exactly as
        `update_me` does, so a stolen admin token cannot take the admin account over; resetting
        someone else's password does not need theirs. Deactivation ends the user's tokens and revokes
        its API keys in the same store operation. Raises `Conflict` when the change would leave no
        active admin or the email is taken.
        """
        _require_admin(actor)
        if actor.id == user_id and not (
            isinstance(changes.email, Unset) and isinstance(changes.password, Unset)
        ):
            self._require_password(actor, current_password, client_address)
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFound(f"No user {user_id}.")
        deactivating = changes.active is False and user.active
        resetting_password = not isinstance(changes.password, Unset)
        changed = replace(
            user,
            email=user.email if isinstance(changes.email, Unset) else changes.email,
            display_name=user.display_name
            if isinstance(changes.display_name, Unset)
            else changes.display_name,
            organisation=user.organisation
            if isinstance(changes.organisation, Unset)
            else changes.organisation,
            roles=user.roles if isinstance(changes.roles, Unset) else changes.roles,
            active=user.active if isinstance(changes.active, Unset) else changes.active,
            token_generation=user.token_generation + (deactivating or resetting_password),
            updated_at=self._clock(),
        )
        _check_organisation(changed.roles, changed.organisation)
        password_hash = None if isinstance(changes.password, Unset) else self._hasher.hash(changes.password)
        self._store.update_user(
            changed, password_hash=password_hash, revoke_keys_at=changed.updated_at if deactivating else None
        )
        log.info(
            "user %s changed by %s: roles %s, active %s",
            user.id,
            actor.id,
            ",".join(sorted(changed.roles)) or "-",
            changed.active,
        )
        return changed

    # --- API keys ------------------------------------------------------------------------------

    def create_api_key(
        self, actor: User, *, name: str, expires_in: timedelta | None = None
    ) -> tuple[ApiKey, str]:
        """A new personal key of `actor` and its full text, which is never available again."""
        if not actor.active:
            raise Unauthenticated("The account is no longer active.")
        key_id, secret, full_key = new_api_key()
        now = self._clock()
        key = ApiKey(
            id=key_id,
            user_id=actor.id,
            name=name,
            created_at=now,
            expires_at=None if expires_in is None else now + expires_in,
        )
        self._store.add_api_key(key, hash_api_secret(secret))
        log.info("user %s created API key %s", actor.id, key_id)
        return key, full_key

    def list_api_keys(self, actor: User, user_id: str) -> list[ApiKey]:
        """The keys of a user (revoked ones too): one's own, or anyone's for an admin."""
        self.get_user(actor, user_id)
        return self._store.list_api_keys(user_id)

    def revoke_api_key(self, actor: User, user_id: str, key_id: str) -> ApiKey:
        """Revoke a key of `user_id`: one's own, or anyone's for an admin. Raises `NotFound`."""
        self.get_user(actor, user_id)
        found = self._store.get_api_key(key_id)
        if found is None or found[0].user_id != user_id:
            raise NotFound(f"No API key {key_id}.")
        now = self._clock()
        self._store.revoke_api_key(key_id, now)
        log.info("API key %s revoked by %s", key_id, actor.id)
        return replace(found[0], revoked_at=found[0].revoked_at or now)

    # --- development mode ----------------------------------------------------------------------

    def ensure_demo_accounts(self, *, domain: str = "registry.example") -> list[DemoLogin]:
        """Development mode only: a demo admin and a demo economic operator with fresh random passwords.

        Creates them when the registry has no admin yet; when the demo accounts exist already (a kept
        data directory) their passwords are replaced by new random ones. Returns nothing otherwise.
        """
        wanted = [
            (f"admin@{domain}", "Demo admin", None, frozenset({Role.ADMIN})),
            (
                f"operator@{domain}",
                "Demo economic operator",
                DEMO_ORGANISATION,
                frozenset({Role.ECONOMIC_OPERATOR}),
            ),
        ]
        existing = {email: self._store.find_user_by_email(email) for email, *_ in wanted}
        if self._store.count_active_admins() > 0 and not all(existing.values()):
            return []
        logins = []
        for email, name, organisation, roles in wanted:
            password = secrets.token_urlsafe(15)
            user = existing[email]
            if user is None:
                self._new_user(
                    email=email, password=password, display_name=name, organisation=organisation, roles=roles
                )
            else:
                renewed = replace(user, token_generation=user.token_generation + 1, updated_at=self._clock())
                self._store.update_user(renewed, password_hash=self._hasher.hash(password))
            logins.append(DemoLogin(email=email, password=password, roles=roles))
        return logins

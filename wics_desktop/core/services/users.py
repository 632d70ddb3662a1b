"""Users: who may sign in, with which role, and the passwords (argon2 hashes only).

Roles are ranked viewer < clerk < supervisor < admin; the permission table is in
core.permissions, so the desktop and the CLI ask `can(user, "edit_materials")` instead of
comparing role names. Changing users needs `edit_users`; signing in is `sign_in()` (audited,
with a short lock-out after repeated failures).
User names are stored as typed (stripped) and matched case-insensitively, so "Chris" signs in
as "chris" and `wics user add CHRIS` updates the same user instead of creating a twin.

Functions take a Session and do not commit (the caller owns the transaction). Every change is
audited. Passwords never leave this module except as hashes.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, permissions, server_accounts
from ..actor import Actor
from ..clock import utcnow
from ..errors import InputRejected, NotFound, NotPermitted, RuleViolation, about
from ..models import ROLES, AuditLog, MenuGroup, User, utc_now
from ..passwords import hash_password, verify_password

MIN_PASSWORD_LENGTH = 8

# The permission table lives in core.permissions (declared once); these names stay here
# because the rest of the program calls users.can / users.require.
ROLE_RANK = permissions.ROLE_RANK
PERMISSIONS = permissions.PERMISSIONS
role_at_least = permissions.role_at_least
can = permissions.can
require = permissions.require
requires = permissions.requires

# A hash to verify against when the user does not exist, so "no such user" and "wrong
# password" take the same time (the login does not reveal which user names exist).
_dummy_hash: str | None = None


@dataclass(frozen=True)
class UserInfo:
    """A user as the rest of the program sees it (no ORM object, no hash)."""

    id: int
    username: str
    display_name: str | None
    role: str
    active: bool
    menu_group: str | None
    must_change_password: bool
    last_login: dt.datetime | None

    @property
    def name(self) -> str:
        """What a person is called on screen and as counter: display name, else user name."""
        return (self.display_name or "").strip() or self.username

    def can(self, permission: str) -> bool:
        return can(self.role, permission)

    def actor(self, workstation: str | None = None) -> Actor:
        return Actor(username=self.username, role=self.role) if workstation is None else \
            Actor(username=self.username, workstation=workstation, role=self.role)


# ---- reading --------------------------------------------------------------------------------

def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id, username=user.username, display_name=user.display_name, role=user.role,
        active=bool(user.active), menu_group=user.menu_group.name if user.menu_group else None,
        must_change_password=bool(user.must_change_password), last_login=user.last_login,
    )


def _find(session: Session, username: str) -> User | None:
    name = (username or "").strip()
    if not name:
        return None
    exact = session.scalar(select(User).where(User.username == name))
    if exact is not None:
        return exact
    matches = session.scalars(
        select(User).where(func.lower(User.username) == name.lower())).all()
    return matches[0] if len(matches) == 1 else None


def _get(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise NotFound(f"There is no user '{(username or '').strip()}'.")
    return user


def has_users(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def get(session: Session, username: str) -> UserInfo | None:
    user = _find(session, username)
    return _info(user) if user else None


def get_by_id(session: Session, user_id: int) -> UserInfo | None:
    user = session.get(User, user_id)
    return _info(user) if user else None


def list_users(session: Session, *, include_inactive: bool = True) -> list[UserInfo]:
    query = select(User).order_by(func.lower(User.username))
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return [_info(u) for u in session.scalars(query)]


# ---- validation -----------------------------------------------------------------------------

def check_password(password: str) -> None:
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise InputRejected(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if password != password.strip():
        raise InputRejected("A password may not start or end with a space.")


def _check_role(role: str) -> str:
    role = (role or "").strip().lower()
    if role not in ROLES:
        raise InputRejected(f"Unknown role '{role}': use one of {', '.join(ROLES)}.")
    return role


def _check_username(username: str) -> str:
    name = (username or "").strip()
    if not name:
        raise InputRejected("A user name may not be blank.")
    if len(name) > 150:
        raise InputRejected("A user name may have at most 150 characters.")
    if any(ch.isspace() for ch in name):
        raise InputRejected(f"A user name may not contain spaces ('{name}').")
    return name


def _group(session: Session, name: str | None) -> MenuGroup | None:
    if name is None or not name.strip():
        return None
    group = session.scalar(select(MenuGroup).where(MenuGroup.name == name.strip()))
    if group is None:
        raise NotFound(f"There is no menu group '{name.strip()}'.")
    return group


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True))) or 0


def _guard_last_admin(session: Session, user: User, *, new_role: str, new_active: bool) -> None:
    losing = user.role == "admin" and user.active and (new_role != "admin" or not new_active)
    if losing and _active_admins(session) <= 1:
        raise RuleViolation(f"'{user.username}' is the last active admin: make another user "
                            f"admin first, or nobody could manage users any more.")


# ---- writing --------------------------------------------------------------------------------

@requires("edit_users")
def create_user(session: Session, username: str, password: str, *, role: str = "clerk",
                display_name: str | None = None, menu_group: str | None = None,
                must_change_password: bool = False, actor: Actor | None = None) -> UserInfo:
    with about("username"):
        name = _check_username(username)
        if _find(session, name) is not None or session.scalar(
                select(User.id).where(func.lower(User.username) == name.lower())) is not None:
            raise RuleViolation(f"A user '{name}' already exists.")
    with about("password"):
        check_password(password)
    with about("role"):
        role = _check_role(role)
    user = User(username=name, display_name=(display_name or "").strip() or None,
                role=role, active=True, password_hash=hash_password(password),
                menu_group=_group(session, menu_group),
                must_change_password=must_change_password)
    session.add(user)
    session.flush()
    assert actor is not None  # @requires refused a missing actor
    audit.record(session, actor, "user", user.username, "create",
                 after=_audit_view(user))
    # MySQL/MariaDB: their own server account, password = their WICS password.
    server_accounts.save_account(session, user.username, user.role, True, password)
    return _info(user)


@requires("edit_users")
def update_user(session: Session, username: str, *, role: str | None = None,
                display_name: str | None = None, active: bool | None = None,
                menu_group: str | None = None, clear_menu_group: bool = False,
                actor: Actor | None = None) -> UserInfo:
    """Change what is given; None leaves a field alone (display_name '' clears it)."""
    user = _get(session, username)
    before = _audit_view(user)
    new_role = _check_role(role) if role is not None else user.role
    new_active = user.active if active is None else bool(active)
    _guard_last_admin(session, user, new_role=new_role, new_active=new_active)
    user.role = new_role
    user.active = new_active
    if display_name is not None:
        user.display_name = display_name.strip() or None
    if clear_menu_group:
        user.menu_group = None
    elif menu_group is not None:
        user.menu_group = _group(session, menu_group)
    session.flush()
    after = _audit_view(user)
    if after != before:
        assert actor is not None  # @requires refused a missing actor
        audit.record(session, actor, "user", user.username, "update",
                     before=before, after=after)
    if (before["role"], before["active"]) != (after["role"], after["active"]):
        # MySQL/MariaDB: the account follows (role granted, locked when deactivated).
        server_accounts.save_account(session, user.username, user.role, bool(user.active))
    return _info(user)


@requires("edit_users")
def set_password(session: Session, username: str, password: str, *,
                 must_change: bool = False, actor: Actor | None = None) -> None:
    assert actor is not None  # @requires refused a missing actor
    _set_password(session, username, password, must_change=must_change, actor=actor)


def _set_password(session: Session, username: str, password: str, *, must_change: bool,
                  actor: Actor, own: bool = False) -> None:
    user = _get(session, username)
    check_password(password)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    session.flush()
    audit.record(session, actor, "user", user.username, "set_password")
    # MySQL/MariaDB: the server account's password is the WICS password. On their own
    # connection a person sets it themselves; otherwise the owner's connection does.
    if not (own and server_accounts.change_own_password(session, user.username, password)):
        server_accounts.save_account(session, user.username, user.role, bool(user.active),
                                     password)


def change_own_password(session: Session, username: str, old_password: str,
                        new_password: str) -> None:
    user = _get(session, username)
    if not verify_password(user.password_hash, old_password):
        raise RuleViolation("The current password is not right.", field="current_password")
    with about("new_password"):
        if old_password == new_password:
            raise InputRejected("The new password must differ from the current one.")
        check_password(new_password)
    # Their own password, proven by the old one: no edit_users needed.
    _set_password(session, username, new_password, must_change=False,
                  actor=Actor(username=user.username, role=user.role), own=True)


@requires("edit_users")
def reset_password(session: Session, username: str, *, actor: Actor | None = None) -> str:
    """Give the user a new random password (returned once, to tell them) they must change."""
    temporary = "-".join(secrets.token_hex(2) for _ in range(3))  # e.g. 3f9a-0c1e-77b2
    set_password(session, username, temporary, must_change=True, actor=actor)
    return temporary


@requires("edit_users")
def deactivate(session: Session, username: str, *, actor: Actor | None = None) -> UserInfo:
    return update_user(session, username, active=False, actor=actor)


@requires("edit_users")
def activate(session: Session, username: str, *, actor: Actor | None = None) -> UserInfo:
    return update_user(session, username, active=True, actor=actor)


@requires("edit_users")
def upsert_user(session: Session, username: str, *, role: str, password: str,
                display_name: str | None = None, actor: Actor | None = None
                ) -> tuple[UserInfo, bool]:
    """Create the user, or update role, display name and password: (info, created)."""
    existing = _find(session, _check_username(username))
    if existing is None:
        return create_user(session, username, password, role=role, display_name=display_name,
                           actor=actor), True
    check_password(password)
    update_user(session, existing.username, role=role, active=True,
                display_name=display_name, actor=actor)
    if not verify_password(existing.password_hash, password):
        set_password(session, existing.username, password, actor=actor)
    else:  # same password: still make sure the server account exists and has it
        server_accounts.save_account(session, existing.username, existing.role, True, password)
    return _info(existing), False


def create_first_admin(session: Session, username: str, password: str,
                       display_name: str | None = None) -> UserInfo:
    """The first-run path: only allowed while the database has no users at all."""
    if has_users(session):
        raise NotPermitted("This database already has users: ask an admin to add you.")
    return create_user(session, username, password, role="admin", display_name=display_name,
                       actor=Actor(username=_check_username(username), role="admin"))


def check_credentials(session: Session, username: str, password: str) -> UserInfo | None:
    """The user for this name and password, or None; writes nothing (so it also works on a
    workstation's read-only replica, for signing in offline)."""
    user = _matching_user(session, username, password)
    return _info(user) if user is not None else None


def _matching_user(session: Session, username: str, password: str) -> User | None:
    global _dummy_hash
    user = _find(session, username)
    if user is None or not user.active or not user.password_hash:
        if _dummy_hash is None:
            _dummy_hash = hash_password("not-a-user-password")
        verify_password(_dummy_hash, password or "x")
        return None
    if not verify_password(user.password_hash, password):
        return None
    return user


def authenticate(session: Session, username: str, password: str) -> UserInfo | None:
    """The signed-in user, or None for an unknown/inactive user or a wrong password.

    Records the login time; upgrades the hash when argon2's parameters have changed.
    """
    user = _matching_user(session, username, password)
    if user is None:
        return None
    from ..passwords import _hasher

    if user.password_hash is not None and _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login = utcnow()
    session.flush()
    return _info(user)


# ---- signing in (audited, with a lock-out) ---------------------------------------------

SIGN_IN_ENTITY = "sign_in"


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: `user` when it succeeded; `locked` says the name is locked
    out for a while after too many refusals (the right password does not help meanwhile)."""

    user: UserInfo | None
    locked: bool = False
    minutes: int = 0


def _failures_since_last_success(session: Session, key: str, window_start: dt.datetime) -> int:
    last_ok = session.scalar(select(func.max(AuditLog.at)).where(
        AuditLog.entity == SIGN_IN_ENTITY, AuditLog.entity_key == key,
        AuditLog.action == "signed_in", AuditLog.at >= window_start))
    since = max(window_start, last_ok) if last_ok is not None else window_start
    return session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == SIGN_IN_ENTITY, AuditLog.entity_key == key,
        AuditLog.action == "refused", AuditLog.at >= since)) or 0


def sign_in(session: Session, username: str, password: str, *, workstation: str | None = None,
            via: str = "desktop") -> SignIn:
    """Check a user name and password, and audit the attempt either way.

    The audit row is added to `session`: the caller commits it even when the sign-in is
    refused (that is the point), and then refuses whatever was asked. After
    SIGNIN-LOCK-FAILURES refusals within SIGNIN-LOCK-MINUTES (counted since the last success)
    the name is locked for that long; the count is kept in the audit log itself, so the
    lock-out holds across workstations and the command line without a table of its own.
    """
    from .. import params

    typed = (username or "").strip()[:150] or "(blank)"
    key = typed.lower()[:100]
    who = Actor(username=typed, role=None) if workstation is None else \
        Actor(username=typed, workstation=workstation, role=None)
    limit = int(params.get_float(session, params.SIGNIN_LOCK_FAILURES))
    minutes = max(1, int(params.get_float(session, params.SIGNIN_LOCK_MINUTES)))
    now = session.scalar(select(utc_now()))
    assert now is not None  # the database's clock always answers
    window_start = now - dt.timedelta(minutes=minutes)
    if limit > 0 and _failures_since_last_success(session, key, window_start) >= limit:
        audit.record(session, who, SIGN_IN_ENTITY, key, "refused",
                     after={"via": via, "reason": "locked out"})
        session.flush()
        return SignIn(None, locked=True, minutes=minutes)
    user = authenticate(session, typed, password)
    if user is None:
        audit.record(session, who, SIGN_IN_ENTITY, key, "refused",
                     after={"via": via, "reason": "unknown user, inactive or wrong password"})
        session.flush()
        return SignIn(None)
    audit.record(session, who, SIGN_IN_ENTITY, key, "signed_in",
                 after={"via": via, "user": user.username, "role": user.role})
    session.flush()
    return SignIn(user)


def _audit_view(user: User) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "active": bool(user.active),
            "menu_group": user.menu_group.name if user.menu_group else None}

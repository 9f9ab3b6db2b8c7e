"""Extension points that components fill at start-up, so core never imports them.

- nav: links in the site header (shown only for components that are installed).
- admin nav: links to components' admin pages, each shown to the users who may open it.
- dashboard panels: callables the admin home renders.
- area sections: callables the area page renders ("who represents this area" ...).
- inbox handlers: functions that claim incoming email by recipient address.
- demo loaders: functions `flask demo load` calls, in order.
- jobs: periodic functions the worker runs (`flask jobs run`; `make run` starts it in-process).
- content statuses: what admin-made content still lacks a translation, per locale (the
  translation status page lists them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string
    order: int = 50


@dataclass(frozen=True)
class AdminNavItem:
    endpoint: str
    label: object  # a lazy string
    order: int = 50
    audience: str = "moderator"  # who sees the link: "staff", "moderator", "admin" or "translator"


def _reg(app=None) -> dict:
    app = app or current_app
    return app.extensions.setdefault(
        "plaza_registry",
        {"nav": [], "admin_nav": [], "dashboard": [], "area_sections": [], "inbox": [], "demo": [], "jobs": [], "content": []},
    )


def add_nav(app, endpoint: str, label, order: int = 50) -> None:
    _reg(app)["nav"].append(NavItem(endpoint, label, order))


def nav_items() -> list[NavItem]:
    return sorted(_reg()["nav"], key=lambda n: n.order)


def add_admin_nav(app, endpoint: str, label, order: int = 50, audience: str = "moderator") -> None:
    """A link in the admin navigation; `audience` must match the page's own access check."""
    if audience not in ("staff", "moderator", "admin", "translator"):
        raise ValueError(f"unknown admin nav audience {audience!r}")
    _reg(app).setdefault("admin_nav", []).append(AdminNavItem(endpoint, label, order, audience))


def admin_nav_items() -> list[AdminNavItem]:
    return sorted(_reg().setdefault("admin_nav", []), key=lambda n: n.order)


def add_dashboard_panel(app, func: Callable, order: int = 50) -> None:
    """func() -> (template_name, context dict) or None; rendered on the admin home."""
    _reg(app)["dashboard"].append((order, func))


def dashboard_panels() -> list[Callable]:
    return [f for _, f in sorted(_reg()["dashboard"], key=lambda x: x[0])]


def add_area_section(app, func: Callable, order: int = 50) -> None:
    """func(area_id) -> (template_name, context dict) or None; rendered on an area's page."""
    _reg(app)["area_sections"].append((order, func))


def area_sections() -> list[Callable]:
    return [f for _, f in sorted(_reg()["area_sections"], key=lambda x: x[0])]


def add_inbox_handler(app, func: Callable) -> None:
    """func(local_part: str) -> claim or None. See core.mail.inbox for the protocol."""
    _reg(app)["inbox"].append(func)


def inbox_handlers() -> list[Callable]:
    return list(_reg()["inbox"])


def add_demo_loader(app, func: Callable, order: int = 50) -> None:
    _reg(app)["demo"].append((order, func))


def demo_loaders() -> list[Callable]:
    return [f for _, f in sorted(_reg()["demo"], key=lambda x: x[0])]


def add_job(app, name: str, func: Callable, every_seconds: int) -> None:
    """func() runs in an app context; it commits its own work."""
    _reg(app)["jobs"].append((name, func, every_seconds))


def jobs() -> list[tuple[str, Callable, int]]:
    return list(_reg()["jobs"])


def add_content_status(app, func: Callable, order: int = 50) -> None:
    """func(locale_tag) -> list of (label, missing_count, url): content untranslated in that locale."""
    _reg(app)["content"].append((order, func))


def content_statuses() -> list[Callable]:
    return [f for _, f in sorted(_reg().setdefault("content", []), key=lambda x: x[0])]

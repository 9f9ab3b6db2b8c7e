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
- translation overlay: the (version, messages) functions that put a database layer over the
  shipped catalogs (the translations component), per app.
- labels: translated names for codes a component stores (audit actions, holding-pen notes),
  registered by the component that writes the code and shown by whoever lists them (admin).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
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
        {
            "nav": [],
            "admin_nav": [],
            "dashboard": [],
            "area_sections": [],
            "inbox": [],
            "demo": [],
            "jobs": [],
            "content": [],
            "labels": {},
            "label_patterns": {},
        },
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


# Kinds of code that get labels; a typo in a kind is an error at start-up, not a missing label.
LABEL_KINDS = ("audit_action", "audit_detail", "inbox_note")


def _kind(kind: str) -> str:
    if kind not in LABEL_KINDS:
        raise ValueError(f"unknown label kind {kind!r}")
    return kind


def add_labels(app, kind: str, labels: Mapping[str, object]) -> None:
    """Translated (lazy) labels for codes of `kind`, e.g. add_labels(app, "inbox_note",
    {"foi_hash_mismatch": _l("…")}). A code registered twice keeps its last label."""
    _reg(app).setdefault("labels", {}).setdefault(_kind(kind), {}).update(labels)


def add_label_pattern(app, kind: str, pattern: str, label) -> None:
    """A label for codes that carry a number: `pattern` (a regex with one group) must match the
    whole stored code; `label` has a %(num)s placeholder for that group."""
    _reg(app).setdefault("label_patterns", {}).setdefault(_kind(kind), []).append((re.compile(pattern), label))


def label(kind: str, code: str | None) -> str | None:
    """The registered label for `code`, in the current language, or None when none is known."""
    found = _reg().setdefault("labels", {}).get(_kind(kind), {}).get(code or "")
    if found is not None:
        return str(found)
    for pattern, text in _reg().setdefault("label_patterns", {}).get(kind, ()):
        match = pattern.fullmatch((code or "").strip())
        if match:
            return str(text) % {"num": match.group(1)}
    return None


def component_on(name: str) -> bool:
    """Whether this deployment runs component `name` (PLAZA_COMPONENTS, dependencies added)."""
    return name in current_app.config.get("PLAZA_COMPONENTS", ())


def set_translation_overlay(app, version: Callable, messages: Callable) -> None:
    """version() -> a token that changes whenever the layer changes (checked per request);
    messages(catalog_code) -> {msgid_key: translation} overriding the shipped catalog."""
    app.extensions["plaza_translation_overlay"] = (version, messages)


def translation_overlay() -> tuple[Callable | None, Callable | None]:
    return current_app.extensions.get("plaza_translation_overlay", (None, None))

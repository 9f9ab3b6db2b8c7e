"""The import rules of docs/DESIGN: core at the bottom, components meeting only through their services."""

# Every module under app/ is parsed (not imported) and each import is resolved to a dotted name. Then:
# - ``app.core`` imports no component (it may use ``app.extensions`` and ``app.profiles``);
# - a component reaches another component only through ``app.<other>.services`` (the package's
#   ``__init__`` is allowed too when it names ``services`` explicitly, as in ``from ..other import services``);
# - nobody imports another component's models, routes, forms, admin, cli, api or templates.

from __future__ import annotations

import ast
import re
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[2] / "app"
COMPONENTS = {"accounts", "areas", "directory", "reports", "foi", "write", "translations", "admin", "demo"}

# What core may use besides itself: the shared extension objects, the profiles and the settings.
CORE_MAY_USE = {"core", "extensions", "profiles", "config"}

# Explicit, justified exceptions: module -> why it may import any component.
ALLOWED_IMPORTERS = {
    # The app factory is the one place that knows every component: it calls each init_app().
    "app": "create_app loads the components listed in COMPONENTS",
}
# Everyone (admin included) may import app.core.*, app.extensions and app.profiles: they are the
# shared bottom layer, not components.


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    if level == 0:
        return target or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def iter_imports(source: str, module: str, is_package: bool):
    """Yield (line, dotted name) for every import in the source; ``from x import y`` yields
    ``x.y`` as well as ``x`` is implied, so that ``from ..foi import services`` counts as
    ``app.foi.services``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module)
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base


def _component(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) >= 2 and parts[0] == "app" and parts[1] in COMPONENTS:
        return parts[1]
    return None


def violations_in(source: str, module: str, is_package: bool) -> list[str]:
    found = []
    parts = module.split(".")
    own = parts[1] if len(parts) >= 2 else None
    for line, name in iter_imports(source, module, is_package):
        if module in ALLOWED_IMPORTERS:
            continue
        if own == "core":
            top = name.split(".")
            if top[0] == "app" and (len(top) < 2 or top[1] not in CORE_MAY_USE):
                found.append(f"{module}:{line} core imports {name}")
            continue
        target = _component(name)
        if target is None or target == own:
            continue
        rest = name.split(".")[2:]
        if rest[:1] != ["services"]:
            found.append(f"{module}:{line} imports {name}; use app.{target}.services")
    return found


def all_violations() -> list[str]:
    found = []
    for path in sorted(APP_DIR.rglob("*.py")):
        module = _module_name(path)
        found += violations_in(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    return found


def test_components_only_meet_through_services():
    assert all_violations() == []


def test_core_stays_at_the_bottom():
    assert [v for v in all_violations() if v.startswith("app.core")] == []


# Templates: a component's templates extend/include/import only its own folder, core/ or base.html,
# and Python code renders only its own component's templates (core renders core/ ones).
_TEMPLATE_REF = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")
_RENDER_REF = re.compile(r"""render(?:_template)?\(\s*["']([a-z_]+)/""")


def template_violations(text: str, own: str, where: str) -> list[str]:
    found = []
    for ref in _TEMPLATE_REF.findall(text) + [f"{c}/" for c in _RENDER_REF.findall(text)]:
        folder = ref.split("/", 1)[0] if "/" in ref else None
        if folder in (None, own, "core"):
            continue
        if folder in COMPONENTS:
            found.append(f"{where} uses template {ref} of component {folder}")
    return found


def test_templates_stay_in_their_component():
    found = []
    for path in sorted(APP_DIR.rglob("*")):
        if path.suffix not in (".html", ".txt", ".py") or not path.is_file():
            continue
        own = path.relative_to(APP_DIR).parts[0]
        found += template_violations(path.read_text(encoding="utf-8"), own, str(path.relative_to(APP_DIR)))
    assert found == []


# The checker itself must be able to fail: planted violations are caught, the allowed forms pass.
def test_checker_catches_planted_violations():
    bad = "from ..accounts.models import User\nimport app.reports.routes\nfrom app.foi import forms\n"
    found = violations_in(bad, "app.write.inbox", False)
    assert len(found) == 3
    assert "app.accounts.models.User" in found[0]
    assert violations_in("from app.areas import services\n", "app.core.registry", False)
    assert violations_in("from ...areas.services import lookup\n", "app.core.mail.outbox", False)
    assert violations_in("from .. import create_app\n", "app.core.worker", False)
    assert violations_in("from ..extensions import db\nfrom ..profiles import load_profile\n",
                         "app.core.i18n", False) == []
    assert violations_in("from .formatting import date\n", "app.core.i18n", False) == []


def test_checker_accepts_services_and_own_modules():
    good = (
        "from ..accounts import services as accounts\n"
        "from app.areas.services import areas_at\n"
        "import app.directory.services\n"
        "from .models import Thing\n"
        "from ..core.auth import admin_required\n"
        "from ..extensions import db\n"
    )
    assert violations_in(good, "app.write.routes", False) == []
    assert violations_in("from . import routes\n", "app.write", True) == []


def test_template_checker_catches_planted_violations():
    assert template_violations('{% include "reports/_card.html" %}', "write", "x")
    assert template_violations('render("areas/detail.html", a=1)', "directory", "x")
    assert template_violations('{% extends "base.html" %}{% from "core/forms.html" import f %}', "foi", "x") == []
    assert template_violations('{%- from "foi/_macros.html" import m %}', "foi", "x") == []

"""The architecture rules of docs/architecture.md: layers, doors, no cycles, thin routes.

Every module under app/ is parsed (not imported) and each import is resolved to a dotted name.
Then:

* ``app.core`` imports no component (it may use ``app.extensions`` and ``app.profiles``);
* a component reaches another component only through ``app.<other>.services`` (the package's
  ``__init__`` is allowed too when it names ``services`` explicitly, as in
  ``from ..other import services``);
* nobody imports another component's models, routes, forms, admin, cli, api or templates;
* components use only components below them (core ← areas ← directory ← accounts ←
  {reports, foi, write, record, translations} ← admin), never another's private names;
* services and operations never commit; route modules run no query (a shrinking allowlist);
* the modules of one component import each other without cycles (a shrinking allowlist).
Each rule is proven able to fail by planted violations at the end of the file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[2] / "app"
COMPONENTS = {"accounts", "areas", "directory", "reports", "foi", "write", "record", "translations", "admin", "demo"}

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


def _modules():
    """(path, dotted module name, is a package __init__, source) for every module under app/."""
    for path in sorted(APP_DIR.rglob("*.py")):
        yield path, _module_name(path), path.name == "__init__.py", path.read_text(encoding="utf-8")


def all_violations() -> list[str]:
    found = []
    for _path, module, is_package, source in _modules():
        found += violations_in(source, module, is_package)
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
    assert (
        violations_in("from ..extensions import db\nfrom ..profiles import load_profile\n", "app.core.i18n", False)
        == []
    )
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


# -- The rules issue #13 builds -------------------------------------------------------------------
# Dependency order (DESIGN.md): a component uses only components of a lower layer.
#   core ← areas ← directory ← accounts ← {reports, foi, write, record, translations} ← admin, demo
LAYER = {
    "areas": 1,
    "directory": 2,
    "accounts": 3,
    "reports": 4,
    "foi": 4,
    "write": 4,
    "record": 4,
    "translations": 4,
    "admin": 5,
    "demo": 5,
}


def order_violations(source: str, module: str, is_package: bool) -> list[str]:
    own = _component(module)
    if own is None:
        return []
    found = []
    for line, name in iter_imports(source, module, is_package):
        target = _component(name)
        if target is not None and target != own and LAYER[target] >= LAYER[own]:
            found.append(f"{module}:{line} {own} (layer {LAYER[own]}) imports {target} (layer {LAYER[target]})")
    return found


def test_components_follow_the_dependency_order():
    found = []
    for _path, module, is_package, source in _modules():
        found += order_violations(source, module, is_package)
    assert found == []


# Private names: another component's services module is used by its public names only.
def private_use_violations(source: str, module: str, is_package: bool) -> list[str]:
    own = _component(module)
    found, aliases = [], {}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                target = _component(full)
                if target is None or target == own:
                    continue
                if alias.name.startswith("_"):
                    found.append(f"{module}:{node.lineno} imports private {full}")
                elif full.split(".")[2:] == ["services"]:
                    aliases[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                target = _component(alias.name)
                if target is not None and target != own and alias.name.split(".")[2:] == ["services"]:
                    aliases[alias.asname or alias.name] = target
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            holder = ast.unparse(node.value)
            if holder in aliases:
                found.append(f"{module}:{node.lineno} uses private {holder}.{node.attr} of {aliases[holder]}")
    return found


def test_no_private_names_of_other_components():
    found = []
    for _path, module, is_package, source in _modules():
        found += private_use_violations(source, module, is_package)
    assert found == []


# No commit in services and operations: they flush; the route (or CLI command) commits once.
def _is_state_module(module: str) -> bool:
    parts = module.split(".")
    return bool({"services", "operations"} & set(parts[2:]))


def commit_violations(source: str, module: str) -> list[str]:
    if not _is_state_module(module):
        return []
    return [
        f"{module}:{node.lineno} commits"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"
    ]


def test_services_and_operations_never_commit():
    found = []
    for _path, module, _pkg, source in _modules():
        found += commit_violations(source, module)
    assert found == []


# No query in a route module (a module that defines views): routes call operations and queries.
# db.session.commit()/rollback() are the route's job and allowed.
_ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}
# Exceptions, module -> how many query calls it may have (empty now: keep it so).
ROUTE_QUERY_ALLOWED: dict[str, int] = {}


def _defines_views(tree) -> bool:
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in _ROUTE_DECORATORS
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for d in node.decorator_list
    )


def route_queries(source: str) -> int:
    tree = ast.parse(source)
    if not _defines_views(tree):
        return 0
    count = 0
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and ast.unparse(node.value) == "db.session"
            and node.attr not in ("commit", "rollback")
        ):
            count += 1
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("select", "sa.select", "sqlalchemy.select"):
            count += 1
    return count


def route_query_violations(modules) -> list[str]:
    found = []
    for module, source in modules:
        count = route_queries(source)
        allowed = ROUTE_QUERY_ALLOWED.get(module, 0)
        if count > allowed:
            found.append(f"{module}: {count} queries in a route module (allowed: {allowed})")
    return found


def test_route_modules_run_no_queries():
    assert route_query_violations((module, source) for _, module, _, source in _modules()) == []


def test_route_query_allowlist_only_names_modules_that_still_query():
    counts = {module: route_queries(source) for _, module, _, source in _modules()}
    stale = {m: counts.get(m, 0) for m, allowed in ROUTE_QUERY_ALLOWED.items() if counts.get(m, 0) == 0}
    assert stale == {}, "delete these lines from ROUTE_QUERY_ALLOWED"


# No cycle between the modules of one component (package __init__ included): a sibling module
# that needs the blueprint imports it from blueprint.py, never back from routes.py.
# Cycles still allowed, each as the set of modules in it (empty now: keep it so).
CYCLES_ALLOWED: list[frozenset[str]] = []


def import_graph(modules) -> dict[str, set[str]]:
    """module -> the modules of its own component it imports (at any depth of the file)."""
    known = {module for module, _, _ in modules}
    graph: dict[str, set[str]] = {module: set() for module in known}
    for module, is_package, source in modules:
        own = module.split(".")[:2]
        for _, name in iter_imports(source, module, is_package):
            parts = name.split(".")
            if parts[:2] != own:
                continue
            while parts and ".".join(parts) not in known:
                parts.pop()
            target = ".".join(parts)
            if target and target != module:
                graph[module].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected groups of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_cycles_between_modules_of_a_component():
    graph = import_graph([(module, is_package, source) for _, module, is_package, source in _modules()])
    new = [sorted(c) for c in cycles(graph) if not any(c <= allowed for allowed in CYCLES_ALLOWED)]
    assert new == []


def test_cycle_allowlist_only_names_live_cycles():
    graph = import_graph([(module, is_package, source) for _, module, is_package, source in _modules()])
    live = cycles(graph)
    stale = [sorted(a) for a in CYCLES_ALLOWED if not any(c & a for c in live)]
    assert stale == [], "delete these from CYCLES_ALLOWED"


def test_checker_catches_planted_violations_of_the_new_rules():
    # dependency order: areas may not use directory (above it); accounts may use directory
    assert order_violations("from ..directory import services\n", "app.areas.routes", False)
    assert order_violations("from ..foi import services\n", "app.write.routes", False)  # same layer
    assert order_violations("from ..directory import services\n", "app.accounts.cli", False) == []
    # private names
    assert private_use_violations("from ..areas.services import _lang_tag\n", "app.reports.x", False)
    assert private_use_violations("from ..areas import services as a\na._profile()\n", "app.reports.x", False)
    assert private_use_violations("from . import services as s\ns._own()\n", "app.reports.x", False) == []
    # commit in services / operations
    assert commit_violations("def f():\n    db.session.commit()\n", "app.foi.services")
    assert commit_violations("def f():\n    db.session.commit()\n", "app.reports.operations.send")
    assert commit_violations("def f():\n    db.session.commit()\n", "app.foi.routes") == []
    # queries in route modules
    view = "@bp.route('/x')\ndef x():\n    return db.session.scalars(select(A)).all()\n"
    assert route_query_violations([("app.foi.new_routes", view)])
    assert route_queries("@bp.post('/x')\ndef x():\n    db.session.commit()\n") == 0
    assert route_queries("def helper():\n    return db.session.get(A, 1)\n") == 0  # no views here
    # cycles
    planted = [
        ("app.foi", True, "from . import routes\n"),
        ("app.foi.routes", False, "from .lists import f\n"),
        ("app.foi.lists", False, "from .routes import bp\n"),
    ]
    assert cycles(import_graph(planted)) == [frozenset({"app.foi.routes", "app.foi.lists"})]
    fixed = [
        ("app.foi", True, "from . import routes\n"),
        ("app.foi.routes", False, "from .blueprint import bp\n"),
        ("app.foi.blueprint", False, ""),
    ]
    assert cycles(import_graph(fixed)) == []

"""Which components a deployment runs, and what each one needs.

PLAZA_COMPONENTS (env or create_app config; comma-separated, default: all) names the components
a deployment runs; the components they depend on are added, so `PLAZA_COMPONENTS=foi` runs
foi with accounts, directory and areas. Core always runs. A name that is not a component is a
start-up error, and so is a component that fails to import: nothing is skipped silently.
"""

from __future__ import annotations

from .config import ConfigError

# In the order they are set up (admin late: it shows what the others add; demo last: its
# loaders come from all of them). Each names the components it uses directly; the dependency
# order is core ← areas ← directory ← accounts ← {reports, foi, write, record, translations} ← admin.
DEPENDS: dict[str, tuple[str, ...]] = {
    "accounts": ("directory",),
    "areas": (),
    "directory": ("areas",),
    "reports": ("accounts", "directory", "areas"),
    "foi": ("accounts", "directory", "areas"),
    "write": ("accounts", "directory", "areas"),
    "record": ("accounts", "directory", "areas"),
    "translations": ("accounts",),
    "admin": ("accounts", "directory"),
    "demo": ("accounts",),
}
COMPONENTS = list(DEPENDS)


def _names(raw) -> list[str]:
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [name.strip() for name in items if name and name.strip()]


def resolve(raw) -> list[str]:
    """The components to run for a PLAZA_COMPONENTS value (a string or a list), dependencies
    included, in set-up order. Empty or missing means all."""
    wanted = _names(raw)
    if not wanted:
        return list(COMPONENTS)
    unknown = [name for name in wanted if name not in DEPENDS]
    if unknown:
        raise ConfigError(
            f"PLAZA_COMPONENTS: unknown component(s) {', '.join(unknown)}; the components are {', '.join(COMPONENTS)}."
        )
    chosen: set[str] = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name not in chosen:
            chosen.add(name)
            todo.extend(DEPENDS[name])
    return [name for name in COMPONENTS if name in chosen]

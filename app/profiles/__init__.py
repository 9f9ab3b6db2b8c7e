"""Country profiles: one TOML file per deployment country, validated at start-up.

Code reads the profile, never a country name. A wrong or missing field stops the app with a
message naming the file and the field (ProfileError).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError

PROFILE_DIR = Path(__file__).resolve().parent


class ProfileError(RuntimeError):
    pass


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, as used in URLs: "en", "pt-BR", "cy"
    name: str  # endonym shown in the language switcher
    catalog: str  # gettext catalog code: "pt_BR", "tum"
    format_locale: str  # Babel locale for dates and numbers: "cy_GB", "ar_JO"
    plural: str | None = None  # plural rule for languages CLDR does not know
    direction: str = "ltr"


@dataclass(frozen=True)
class FoiLaw:
    code: str
    name: dict  # language tag -> text; "" key not used
    short_name: dict
    url: str
    reply_days: int
    day_type: str  # "working" or "calendar"
    very_overdue_days: int
    binding: bool
    review_days: int
    review_day_type: str
    source: str = ""
    # Who reviews a refusal or a late answer: the authority itself ("internal") or an outside body
    # such as an information commissioner ("external", named by review_body).
    review_kind: str = "internal"
    review_body: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    code: str
    path: Path
    name: dict
    site_name: dict
    languages: tuple[Language, ...]
    default_language: str
    territory: str
    timezone: str
    weekend: tuple[int, ...]  # 0 = Monday ... 6 = Sunday
    holidays_country: str
    holidays_subdivision: str
    extra_holidays: tuple[dt.date, ...]
    phone_region: str
    distance_unit: str  # "km" or "mi"
    map_lat: float
    map_lon: float
    map_zoom: int
    tile_url: str
    tile_attribution: str
    postcodes: bool
    postcode_pattern: str
    postcode_example: str
    representative_types: tuple[str, ...]
    foi_laws: tuple[FoiLaw, ...]
    report_duplicate_distance_m: int
    report_alert_distance_m: int | None
    write_max_recipients: int
    write_moderation: bool
    sources: dict = field(default_factory=dict)
    holidays_subdivisions: tuple[str, ...] = ()  # a day off in any of them is not a working day
    holidays_categories: tuple[str, ...] = ()  # the holidays package's categories ("public", ...)
    # Area types of wards (each inside its council, its parent area): MapIt's postcode `shortcuts`.
    ward_types: tuple[str, ...] = ()

    # -- helpers used everywhere -------------------------------------------------
    @property
    def language_tags(self) -> list[str]:
        return [lang.tag for lang in self.languages]

    def language(self, tag: str) -> Language | None:
        for lang in self.languages:
            if lang.tag == tag:
                return lang
        return None

    def text(self, value: dict | str, tag: str | None = None) -> str:
        """Pick a per-language text, falling back to the default language, never empty."""
        if isinstance(value, str):
            return value
        if tag and value.get(tag):
            return value[tag]
        if tag and "-" in tag and value.get(tag.split("-")[0]):
            return value[tag.split("-")[0]]
        return value.get(self.default_language) or next((v for v in value.values() if v), "")

    def postcode_valid(self, text: str) -> bool:
        return bool(self.postcodes and re.fullmatch(self.postcode_pattern, text.strip(), re.I))

    def normalise_postcode(self, text: str) -> str:
        return re.sub(r"\s+", "", text).upper()

    def foi_law(self, code: str | None = None) -> FoiLaw | None:
        for law in self.foi_laws:
            if code is None or law.code == code:
                return law
        return None


# -- validation ------------------------------------------------------------------
class _Reader:
    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    def fail(self, name: str, why: str):
        raise ProfileError(f"Country profile {self.path}: field '{name}' {why}")

    def get(self, name: str, kind, default=..., where: dict | None = None, prefix: str = ""):
        data = self.data if where is None else where
        full = prefix + name
        if name not in data:
            if default is ...:
                self.fail(full, "is missing")
            return default
        value = data[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is not None and not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(full, f"must be {getattr(kind, '__name__', kind)}, not {type(value).__name__}")
        return value

    def texts(self, name: str, default=..., where=None, prefix=""):
        value = self.get(name, (str, dict), default, where, prefix)
        if isinstance(value, str):
            return {"": value}
        if not value or not all(isinstance(v, str) for v in value.values()):
            self.fail(prefix + name, "must be a text or a table of language = text")
        return dict(value)


def _language(r: _Reader, raw: dict, i: int, territory: str) -> Language:
    p = f"languages[{i}]."
    tag = r.get("tag", str, where=raw, prefix=p)
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?", tag):
        r.fail(p + "tag", f"'{tag}' is not a BCP 47 tag like 'en', 'pt-BR' or 'zh-Hant'")
    catalog = r.get("catalog", str, tag.replace("-", "_"), raw, p)
    base = tag.split("-")[0]
    default_fmt = f"{base}_{territory}" if territory else base
    fmt = r.get("format_locale", str, None, raw, p)
    try:
        if fmt is None:
            try:
                Locale.parse(default_fmt)
                fmt = default_fmt
            except (UnknownLocaleError, ValueError):
                fmt = tag.replace("-", "_")
        locale = Locale.parse(fmt)
    except (UnknownLocaleError, ValueError):
        r.fail(p + "format_locale", f"'{fmt}' is not a locale Babel knows; set one it does")
    plural = r.get("plural", str, None, raw, p)
    try:
        Locale.parse(tag, sep="-")
        known = True
    except (UnknownLocaleError, ValueError):
        known = False
    if not known and not plural:
        r.fail(p + "plural", f"is required: CLDR does not know '{tag}', so give its Plural-Forms rule")
    direction = r.get("direction", str, locale.text_direction, raw, p)
    if direction not in ("ltr", "rtl"):
        r.fail(p + "direction", "must be 'ltr' or 'rtl'")
    own = Locale.parse(tag, sep="-") if known else None
    name = r.get("name", str, None, raw, p) or (own.get_display_name(own) if own else tag)
    return Language(tag, name, catalog, fmt, plural, direction)


def _law(r: _Reader, raw: dict, i: int) -> FoiLaw:
    p = f"foi.laws[{i}]."
    day_type = r.get("day_type", str, where=raw, prefix=p)
    if day_type not in ("working", "calendar"):
        r.fail(p + "day_type", "must be 'working' or 'calendar'")
    review_type = r.get("review_day_type", str, day_type, raw, p)
    if review_type not in ("working", "calendar"):
        r.fail(p + "review_day_type", "must be 'working' or 'calendar'")
    review_kind = r.get("review_kind", str, "internal", raw, p)
    if review_kind not in ("internal", "external"):
        r.fail(p + "review_kind", "must be 'internal' or 'external'")
    if review_kind == "external" and not raw.get("review_body"):
        r.fail(p + "review_body", "is required when review_kind is 'external' (name the body that reviews)")
    reply = r.get("reply_days", int, where=raw, prefix=p)
    very = r.get("very_overdue_days", int, where=raw, prefix=p)
    if reply <= 0 or very < reply:
        r.fail(p + "very_overdue_days", "must be at least reply_days, which must be positive")
    return FoiLaw(
        code=r.get("code", str, where=raw, prefix=p),
        name=r.texts("name", where=raw, prefix=p),
        short_name=r.texts("short_name", where=raw, prefix=p),
        url=r.get("url", str, "", raw, p),
        reply_days=reply,
        day_type=day_type,
        very_overdue_days=very,
        binding=r.get("binding", bool, True, raw, p),
        review_days=r.get("review_days", int, reply, raw, p),
        review_day_type=review_type,
        source=r.get("source", str, "", raw, p),
        review_kind=review_kind,
        review_body=r.texts("review_body", {}, raw, p) if "review_body" in raw else {},
    )


def load_profile(code: str, directory: Path = PROFILE_DIR) -> Profile:
    """Load and validate a profile by code (``gb-wls``) from ``directory``.

    ``code`` may also be the path of a ``.toml`` file (for tests and private deployments that keep
    their profile outside the repository); the profile's code is then the file's stem.
    """
    code = str(code or "")
    if code.endswith(".toml") and ("/" in code or "\\" in code):
        path = Path(code)
        directory, code = path.parent, path.stem
    else:
        path = Path(directory) / f"{code}.toml"
    if not re.fullmatch(r"[a-z0-9-]+", code) or not path.is_file():
        known = ", ".join(sorted(p.stem for p in Path(directory).glob("*.toml")))
        raise ProfileError(f"Country profile '{code}' not found in {directory} (known: {known})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"Country profile {path}: not valid TOML: {exc}") from exc
    r = _Reader(path, data)
    territory = r.get("territory", str, "")
    langs_raw = r.get("languages", list)
    if not langs_raw:
        r.fail("languages", "must list at least one language")
    languages = tuple(_language(r, raw, i, territory) for i, raw in enumerate(langs_raw))
    tags = [lang.tag for lang in languages]
    for i, tag in enumerate(tags):
        if tag in tags[:i]:
            r.fail(f"languages[{i}].tag", f"'{tag}' is listed twice")
    default = r.get("default_language", str)
    if default not in tags:
        r.fail("default_language", f"'{default}' is not one of the languages {tags}")
    tz = r.get("timezone", str)
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        r.fail("timezone", f"'{tz}' is not an IANA time zone")
    weekend = r.get("weekend", list)
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in weekend):
        r.fail("weekend", "must list weekday numbers 0 (Monday) to 6 (Sunday)")
    if len(set(weekend)) != len(weekend) or len(weekend) > 6:
        r.fail("weekend", "must list each day once and leave at least one working day")
    hol = r.get("holidays", dict, {})
    extra = []
    for i, day in enumerate(r.get("extra", list, [], hol, "holidays.")):
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError:
                r.fail(f"holidays.extra[{i}]", f"'{day}' is not a YYYY-MM-DD date")
        if not isinstance(day, dt.date):
            r.fail(f"holidays.extra[{i}]", "must be a date")
        extra.append(day)
    hol_country = r.get("country", str, "", hol, "holidays.")
    if hol_country:
        import holidays as holidays_pkg

        supported = holidays_pkg.list_supported_countries()
        if hol_country not in supported:
            r.fail("holidays.country", f"'{hol_country}' is not known to the holidays package")
        subdiv = r.get("subdivision", str, "", hol, "holidays.")
        if subdiv and subdiv not in supported[hol_country]:
            r.fail(
                "holidays.subdivision", f"'{subdiv}' is not a subdivision of '{hol_country}' in the holidays package"
            )
        for i, sub in enumerate(r.get("subdivisions", list, [], hol, "holidays.")):
            if sub not in supported[hol_country]:
                r.fail(
                    f"holidays.subdivisions[{i}]",
                    f"'{sub}' is not a subdivision of '{hol_country}' in the holidays package",
                )
        known = holidays_pkg.country_holidays(hol_country).supported_categories
        for i, cat in enumerate(r.get("categories", list, [], hol, "holidays.")):
            if cat not in known:
                r.fail(
                    f"holidays.categories[{i}]", f"'{cat}' is not a category of '{hol_country}' ({', '.join(known)})"
                )
    elif r.get("subdivision", str, "", hol, "holidays.") or r.get("subdivisions", list, [], hol, "holidays."):
        r.fail("holidays.subdivision", "needs holidays.country")
    subdivisions = tuple(r.get("subdivisions", list, [], hol, "holidays."))
    if subdivisions and r.get("subdivision", str, "", hol, "holidays."):
        r.fail("holidays.subdivisions", "give either subdivision or subdivisions, not both")
    mp = r.get("map", dict)
    if not -90 <= r.get("lat", float, where=mp, prefix="map.") <= 90:
        r.fail("map.lat", "must be between -90 and 90")
    if not -180 <= r.get("lon", float, where=mp, prefix="map.") <= 180:
        r.fail("map.lon", "must be between -180 and 180")
    if not 0 <= r.get("zoom", int, where=mp, prefix="map.") <= 20:
        r.fail("map.zoom", "must be between 0 and 20")
    pc = r.get("postcodes", dict, {})
    has_pc = r.get("enabled", bool, False, pc, "postcodes.")
    pattern = r.get("pattern", str, "", pc, "postcodes.")
    if has_pc:
        try:
            re.compile(pattern)
        except re.error:
            r.fail("postcodes.pattern", "is not a valid regular expression")
        if not pattern:
            r.fail("postcodes.pattern", "is required when postcodes.enabled is true")
        example = r.get("example", str, "", pc, "postcodes.")
        if example and not re.fullmatch(pattern, example.strip(), re.I):
            r.fail("postcodes.example", f"'{example}' does not match postcodes.pattern")
    unit = r.get("distance_unit", str, "km")
    if unit not in ("km", "mi"):
        r.fail("distance_unit", "must be 'km' or 'mi'")
    foi = r.get("foi", dict, {})
    laws = tuple(_law(r, raw, i) for i, raw in enumerate(r.get("laws", list, [], foi, "foi.")))
    areas = r.get("areas", dict, {})
    rep_types = r.get("representative_types", list, [], areas, "areas.")
    if not all(isinstance(t, str) and t for t in rep_types):
        r.fail("areas.representative_types", "must list area type codes (texts)")
    ward_types = r.get("ward_types", list, [], areas, "areas.")
    if not all(isinstance(t, str) and t for t in ward_types):
        r.fail("areas.ward_types", "must list area type codes (texts)")
    phone = r.get("phone_region", str, territory or "ZZ")
    if not re.fullmatch(r"[A-Z]{2}", phone):
        r.fail("phone_region", f"'{phone}' is not a two-letter region code like 'GB'")
    sources = r.get("sources", dict, {})
    if not all(isinstance(v, str) for v in sources.values()):
        r.fail("sources", "must be a table of name = text")
    reports = r.get("reports", dict, {})
    write = r.get("write", dict, {})
    return Profile(
        code=code,
        path=path,
        name=r.texts("name"),
        site_name=r.texts("site_name"),
        languages=languages,
        default_language=default,
        territory=territory,
        timezone=tz,
        weekend=tuple(weekend),
        holidays_country=hol_country,
        holidays_subdivision=r.get("subdivision", str, "", hol, "holidays.")
        or (subdivisions[0] if subdivisions else ""),
        extra_holidays=tuple(extra),
        phone_region=phone,
        distance_unit=unit,
        map_lat=r.get("lat", float, where=mp, prefix="map."),
        map_lon=r.get("lon", float, where=mp, prefix="map."),
        map_zoom=r.get("zoom", int, where=mp, prefix="map."),
        tile_url=r.get("tile_url", str, "", mp, "map."),
        tile_attribution=r.get("attribution", str, "", mp, "map."),
        postcodes=has_pc,
        postcode_pattern=pattern,
        postcode_example=r.get("example", str, "", pc, "postcodes."),
        representative_types=tuple(rep_types),
        ward_types=tuple(ward_types),
        foi_laws=laws,
        report_duplicate_distance_m=r.get("duplicate_distance_m", int, 100, reports, "reports."),
        report_alert_distance_m=r.get("alert_distance_m", int, None, reports, "reports."),
        write_max_recipients=r.get("max_recipients", int, 5, write, "write."),
        write_moderation=r.get("moderation", bool, False, write, "write."),
        sources=sources,
        holidays_subdivisions=subdivisions,
        holidays_categories=tuple(r.get("categories", list, [], hol, "holidays.")),
    )


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))

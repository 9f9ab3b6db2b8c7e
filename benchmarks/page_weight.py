"""Page weight: gzip-compressed bytes of each public page's HTML plus its CSS and JavaScript.

Builds the app on a temporary SQLite database, loads the demo (every registered demo loader),
then fetches the home page in every profile language, every GET page under /<lang>/ that needs
no other parameter, and the first linked detail page of each other kind. Prints one line per
page and exits 1 when one is over the budget (14 KB: what fits in TCP's first round trips).
The interactive map page (reports/new with a tile server) is reported but exempt.

    .venv/bin/python benchmarks/page_weight.py [--budget 14336] [--lang en]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET = 14 * 1024
SKIP_PREFIXES = ("/admin/", "/accounts/settings", "/accounts/signout")
HREF = re.compile(r'href="(/[^"#?]*)"')
SCRIPT = re.compile(r'<script[^>]+src="([^"]+)"')
EXEMPT = re.compile(r"/reports/new$")  # the interactive map: Leaflet is its point
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"|<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def build_app(db_path: Path):
    from app import create_app
    from app.core import registry
    from app.extensions import db

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{db_path}",
            "SECRET_KEY": "page-weight-benchmark",
            "RATELIMIT_ENABLED": False,
            "SERVER_BASE_URL": "http://localhost",
            "MAIL_PORT": 1,
            "PLAZA_START_WORKER": False,
        }
    )
    with app.app_context():
        db.create_all()
        for loader in registry.demo_loaders():
            loader()
        db.session.commit()
    return app


def candidate_paths(app, langs: list[str]) -> list[str]:
    paths = [f"/{lang}/" for lang in langs]
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or set(rule.arguments) != {"lang"}:
            continue
        if not rule.rule.startswith("/<lang>/") or rule.rule == "/<lang>/":
            continue
        rest = rule.rule[len("/<lang>") :]
        if rest.startswith(SKIP_PREFIXES) or rest.endswith((".json", ".csv", ".atom", ".xml", ".geojson")):
            continue
        paths.extend(f"/{lang}{rest}" for lang in langs)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=BUDGET, help="bytes (gzip) per page, HTML + CSS + JS")
    parser.add_argument("--lang", action="append", help="only these languages (default: all of the profile's)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp) / "weight.db")
        client = app.test_client()
        prof = app.extensions["plaza_profile"]
        langs = args.lang or prof.language_tags
        adapter = app.url_map.bind("localhost")
        css_cache: dict[str, int] = {}
        queue = candidate_paths(app, langs)
        seen, detail_endpoints, results = set(), set(), []
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            resp = client.get(path)
            if resp.status_code != 200:
                results.append((path, resp.status_code, None, None, None))
                continue
            if resp.mimetype != "text/html":  # SVG maps, JSON: not pages
                continue
            html = resp.get_data()
            css_total = 0
            for match in STYLESHEET.finditer(html.decode("utf-8", "replace")):
                href = (match.group(1) or match.group(2)).replace("&amp;", "&")
                if href not in css_cache:
                    css_resp = client.get(href)
                    css_cache[href] = gz(css_resp.get_data()) if css_resp.status_code == 200 else 0
                css_total += css_cache[href]
            js_total = 0
            for src in SCRIPT.findall(html.decode("utf-8", "replace")):
                src = src.replace("&amp;", "&")
                if src not in css_cache:
                    js_resp = client.get(src)
                    css_cache[src] = gz(js_resp.get_data()) if js_resp.status_code == 200 else 0
                js_total += css_cache[src]
            results.append((path, 200, gz(html), css_total, js_total))
            # The first linked detail page of each kind (a route with parameters besides lang).
            for href in HREF.findall(html.decode("utf-8", "replace")):
                if href.split("/")[1] not in langs:
                    continue
                try:
                    endpoint, values = adapter.match(href, method="GET")
                except Exception:  # noqa: BLE001 - static files, redirects, unknown paths
                    continue
                if (
                    set(values) - {"lang"}
                    and endpoint not in detail_endpoints
                    and not endpoint.startswith(("admin", "static"))
                    and "/admin/" not in href
                ):
                    detail_endpoints.add(endpoint)
                    queue.append(href)

    over = 0
    width = max((len(p) for p, *_ in results), default=10)
    print(f"{'page':<{width}}  {'html':>7}  {'css':>6}  {'js':>6}  {'total':>7}")
    for path, status, html_gz, css_gz, js_gz in results:
        if html_gz is None:
            print(f"{path:<{width}}  (status {status}, skipped)")
            continue
        total = html_gz + css_gz + js_gz
        flag = ""
        if EXEMPT.search(path):
            flag = "  (interactive map, exempt)"
        elif total > args.budget:
            over += 1
            flag = "  OVER BUDGET"
        print(f"{path:<{width}}  {html_gz:>7}  {css_gz:>6}  {js_gz:>6}  {total:>7}{flag}")
    measured = sum(1 for r in results if r[2] is not None)
    print(f"{measured} pages measured; budget {args.budget} bytes (gzip, HTML + CSS + JS); {over} over.")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

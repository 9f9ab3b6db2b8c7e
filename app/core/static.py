"""Fingerprinted static files: url_for('static') adds ?v=<hash>, served with a one-year cache.

Static responses are read into memory (they are small) so that Flask-Compress, which runs after
this hook, compresses them with any of its algorithms: it leaves file-streaming responses alone
or, for streams, skips gzip, which is what most clients without brotli ask for.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import request, url_for

YEAR = 365 * 24 * 3600
IN_MEMORY_LIMIT = 1024 * 1024  # bigger files (none today) keep streaming, uncompressed

# Scripts go only into pages that use them (docs/performance.md): htmx where an element carries
# an hx- attribute; plaza.js where a button asks for the location or htmx sends a non-GET request
# (plaza.js adds the CSRF header to those).
HTMX_ATTRIBUTE = re.compile(rb"\s(?:data-)?hx-[a-z-]+=")
PLAZA_JS_NEEDED = re.compile(rb"\sdata-geolocate[\s=>]|\s(?:data-)?hx-(?:post|put|patch|delete)=")
HEAD_END = b"</head>"


def register(app) -> None:
    root = Path(app.static_folder)
    hashes: dict[str, str] = {}

    def fingerprint(filename: str) -> str | None:
        if filename not in hashes or app.debug:
            path = root / filename
            if not path.is_file():
                return None
            hashes[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return hashes[filename]

    @app.url_defaults
    def add_version(endpoint, values):
        if endpoint == "static" and "v" not in values:
            v = fingerprint(values.get("filename", ""))
            if v:
                values["v"] = v

    @app.after_request
    def cache_static(resp):
        if request.endpoint == "static" and resp.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            resp.cache_control.no_cache = None  # send_file's default; it would override max-age
            resp.cache_control.public = True
            if request.args.get("v") and request.args.get("v") == fingerprint(filename):
                resp.cache_control.max_age = YEAR
                resp.cache_control.immutable = True
            else:
                resp.cache_control.max_age = 300
            if resp.content_length is not None and resp.content_length <= IN_MEMORY_LIMIT:
                resp.direct_passthrough = False
                resp.make_sequence()
        return resp

    @app.after_request
    def add_scripts(resp):
        """Insert the deferred, fingerprinted scripts a full HTML page needs before </head>
        (partials and pages without enhancements get none). Runs before Flask-Compress."""
        if resp.mimetype != "text/html" or resp.direct_passthrough or resp.is_streamed:
            return resp
        body = resp.get_data()
        head_end = body.find(HEAD_END)
        if head_end < 0:
            return resp
        tags = []
        if HTMX_ATTRIBUTE.search(body):
            tags.append('<meta name="htmx-config" content=\'{"includeIndicatorCSS": false}\'>')
            tags.append(f'<script src="{url_for("static", filename="vendor/htmx.min.js")}" defer></script>')
        if PLAZA_JS_NEEDED.search(body):
            tags.append(f'<script src="{url_for("static", filename="js/plaza.js")}" defer></script>')
        if tags:
            resp.set_data(body[:head_end] + "\n".join(tags).encode() + b"\n" + body[head_end:])
        return resp

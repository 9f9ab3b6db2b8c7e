"""render_sections: each section function's template rendered in order; empty and broken ones left out."""

from __future__ import annotations

from jinja2 import ChoiceLoader, DictLoader

from app.core import sections
from app.core.sections import render_sections


def test_sections_render_in_order_and_skip_empty_and_broken(app, caplog, monkeypatch):
    # Alembic's fileConfig (migration tests) disables existing loggers; this one must speak.
    monkeypatch.setattr(sections.log, "disabled", False)
    app.jinja_env.loader = ChoiceLoader([DictLoader({"t_section.html": "<b>{{ n }}</b>"}), app.jinja_loader])
    calls = []

    def first(obj_id):
        calls.append(("first", obj_id))
        return "t_section.html", {"n": obj_id * 2}

    def empty(obj_id):
        calls.append(("empty", obj_id))
        return None

    def broken(obj_id):
        raise RuntimeError("boom")

    with app.test_request_context("/en/"):
        out = render_sections([first, empty, broken, first], 21)
    assert [str(m) for m in out] == ["<b>42</b>", "<b>42</b>"]
    assert calls == [("first", 21), ("empty", 21), ("first", 21)]
    assert "boom" in caplog.text

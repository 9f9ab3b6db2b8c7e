"""Full-text search (FTS5 on SQLite, tsvector + GIN on PostgreSQL) with filters, lists, feeds, JSON, stats."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from sqlalchemy import select, text

from app.extensions import db
from app.foi.models import FoiRedaction, FoiRequest, FoiSearchDoc
from app.foi.search import search_requests

from .conftest import make_user
from .helpers import docx_bytes, make_request, receive, reply_email

ATOM = "{http://www.w3.org/2005/Atom}"


def ids(**kw):
    return {r.id for r in search_requests(**kw)[0]}


def test_the_index_is_the_databases_own(app, authorities):
    req = make_request(authorities["Ministry of Roads"])
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(text("SELECT rowid FROM foi_search_fts WHERE foi_search_fts MATCH 'kilometros'"))
        assert [r[0] for r in rows] == [req.id]
    else:
        definition = db.session.scalar(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_foi_search_doc_tsv'")
        )
        assert "gin" in definition and "to_tsvector('simple'" in definition
        found = db.session.scalar(
            text(
                "SELECT request_id FROM foi_search_doc WHERE "
                "to_tsvector('simple', body) @@ to_tsquery('simple', 'kilometros')"
            )
        )
        assert found == req.id


def test_titles_letters_replies_and_attachments_are_searched(app, runner, authorities):
    roads = authorities["Ministry of Roads"]
    req = make_request(roads)
    other = make_request(
        roads,
        user=make_user("bo@example.org", "Bo"),
        title="Presupuesto de puentes del año",
        letter="Estimado Ministerio,\n\nPido el presupuesto de los puentes.\n\nGracias,",
    )
    assert ids(q="kilometros") == {req.id}  # accents folded, letter and title
    assert ids(q="KILÓM") == {req.id}  # prefix, case
    assert ids(q="puentes presupuesto") == {other.id}  # every word, any order
    assert ids(q="puentes kilometros") == set()
    assert ids(q="") == {req.id, other.id}
    assert ids(q="\"'*) OR (") == {req.id, other.id} or ids(q="\"'*) OR (") == set()  # never an error
    receive(
        runner,
        reply_email(
            req,
            "Les enviamos el informe de asfaltado.",
            attachments=[
                (
                    "informe.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    docx_bytes("Tramo Norte: 42 km de zanjas rellenadas."),
                )
            ],
        ),
    )
    assert ids(q="asfaltado") == {req.id}  # reply text
    assert ids(q="zanjas") == {req.id}  # attachment text (Word)
    assert ids(q="officer") == set()  # the sender's address is not indexed (masked)


def test_filters_state_authority_user_and_dates(app, authorities):
    roads = authorities["Ministry of Roads"]
    a = make_request(roads)
    bo = make_user("bo@example.org", "Bo")
    b = make_request(
        roads,
        user=bo,
        title="Presupuesto de puentes del año",
        letter="Estimado Ministerio,\n\nPido el presupuesto de los puentes.\n\nGracias,",
    )
    a.due_on = dt.date.today() - dt.timedelta(days=3)
    a.created_at = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    b.state = "successful"
    db.session.commit()
    assert ids(state="waiting_response_overdue") == {a.id}
    assert ids(state="waiting_response") == set()
    assert ids(state="successful") == {b.id}
    assert ids(user_id=bo.id) == {b.id}
    assert ids(authority_id=roads.id) == {a.id, b.id}
    assert ids(authority_id=authorities["Quiet Council"].id) == set()
    assert ids(since=dt.date(2024, 4, 30), until=dt.date(2024, 5, 1)) == {a.id}
    assert ids(since=dt.date.today()) == {b.id}


def test_search_page_filters_and_bad_dates(client, authorities):
    roads = authorities["Ministry of Roads"]
    req = make_request(roads)
    page = client.get(f"/en/foi/?q=kilometros&authority={roads.id}").get_data(as_text=True)
    assert f"/en/foi/request/{req.id}" in page and 'name="authority"' in page
    frag = client.get("/en/foi/?q=kilom", headers={"HX-Request": "true"})
    assert "<html" not in frag.get_data(as_text=True) and f"/en/foi/request/{req.id}" in frag.get_data(as_text=True)
    bad = client.get("/en/foi/?since=yesterday&q=kilometros")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="since-error"' in html and "2025-03-31" in html
    assert f"/en/foi/request/{req.id}" in html  # the other filters still work
    assert client.get("/en/foi/?state=nonsense").status_code == 422


def test_prominence_backpage_and_hidden_are_not_listed_or_searched(app, client, authorities):
    req = make_request(authorities["Ministry of Roads"])
    assert ids(q="kilometros") == {req.id}
    req.prominence = "backpage"
    db.session.commit()
    assert ids(q="kilometros") == set() and ids() == set()
    assert db.session.get(FoiSearchDoc, req.id) is None
    assert client.get(f"/en/foi/request/{req.id}").status_code == 200  # public, just not listed
    assert f"/foi/request/{req.id}" not in client.get(f"/en/foi/authorities/{req.authority_id}").get_data(as_text=True)
    req.prominence = "normal"
    db.session.commit()
    assert ids(q="kilometros") == {req.id}


def test_index_changes_only_with_the_transaction(app, authorities):
    req = make_request(authorities["Ministry of Roads"])
    req.title = "Baches en la carretera de la costa"
    db.session.flush()
    db.session.rollback()
    assert ids(q="baches") == set() and ids(q="kilometros") == {req.id}
    req.title = "Baches en la carretera de la costa"
    db.session.commit()
    assert ids(q="baches") == {req.id}


def test_redaction_rules_rebuild_the_index_by_scope(app, runner, authorities):
    roads = authorities["Ministry of Roads"]
    a = make_request(roads)
    b = make_request(
        roads,
        user=make_user("bo@example.org", "Bo"),
        title="Kilómetros de aceras en 2025",
        letter="Estimado Ministerio,\n\nPido los kilómetros de aceras.\n\nGracias,",
    )
    rule = FoiRedaction(
        pattern=r"kil[oó]metros?", is_regex=True, scope="request", scope_id=a.id, replacement="[x]", note="test"
    )
    db.session.add(rule)
    db.session.commit()
    assert ids(q="kilometros") == {b.id}
    rule.scope, rule.scope_id = "authority", roads.id
    db.session.commit()
    assert ids(q="kilometros") == set()
    db.session.delete(rule)
    db.session.commit()
    assert ids(q="kilometros") == {a.id, b.id}
    # A wholesale rebuild gives the same answers
    db.session.execute(FoiSearchDoc.__table__.delete())
    db.session.commit()
    assert ids(q="kilometros") == set()
    assert "indexed 2 requests" in runner.invoke(args=["foi", "reindex"]).output
    assert ids(q="kilometros") == {a.id, b.id}


def test_lists_per_authority_and_user_with_feeds_and_json(app, client, runner, authorities):
    roads = authorities["Ministry of Roads"]
    ana = make_user()
    req = make_request(roads, user=ana)
    hidden = make_request(
        roads,
        user=ana,
        title="Informe reservado sobre peajes",
        letter="Estimado Ministerio,\n\nPido el informe de peajes.\n\nGracias,",
    )
    hidden.prominence = "hidden"
    db.session.add(FoiRedaction(pattern="Kilómetros", replacement="[dato]", scope="global", note="test"))
    db.session.commit()
    page = client.get(f"/en/foi/users/{ana.id}").get_data(as_text=True)
    assert "Ana Pérez" in page and f"/en/foi/request/{req.id}" in page and f"/request/{hidden.id}" not in page
    assert "Kilómetros" not in page and "[dato]" in page and "ana@example.org" not in page
    assert client.get("/en/foi/users/999").status_code == 404
    for url in (
        f"/en/foi/users/{ana.id}/feed.atom",
        f"/en/foi/authorities/{roads.id}/feed.atom",
        "/en/foi/feed.atom?q=caminos",
        "/en/foi/feed.atom",
    ):
        resp = client.get(url)
        assert resp.mimetype == "application/atom+xml", url
        feed = ET.fromstring(resp.data)
        entries = feed.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}link").get("href") for e in entries] == [f"http://localhost/en/foi/request/{req.id}"], (
            url
        )
        assert "Kilómetros" not in resp.get_data(as_text=True), url
    assert client.get("/en/foi/feed.atom?q=peajes").data.count(b"<entry>") == 0
    found = client.get(f"/api/foi/requests.json?q=caminos&authority={roads.id}").get_json()
    assert found["total"] == 1 and found["results"][0]["id"] == req.id and "[dato]" in found["results"][0]["title"]
    assert client.get("/api/foi/requests.json?since=nope").status_code == 400
    auths = client.get("/api/foi/authorities.json?q=caminos").get_json()
    assert [a["name"] for a in auths["results"]] == ["Ministry of Roads"]
    assert "foi@roads.example" not in client.get("/api/foi/authorities.json").get_data(as_text=True)
    assert client.get(f"/api/foi/requests/{hidden.id}.json").status_code == 404


def test_authority_statistics(app, client, runner, authorities):
    from app.foi.stats import authority_stats

    roads = authorities["Ministry of Roads"]
    empty = authority_stats(roads.id)
    assert empty == {"total": 0, "in_time": None, "overdue": None, "successful": None}
    users = [make_user(f"u{i}@example.org", f"User {i}") for i in range(4)]
    reqs = [
        make_request(
            roads,
            user=u,
            title=f"Pregunta número {i} sobre caminos",
            letter=f"Estimado Ministerio,\n\nPregunta {i}.\n\nGracias,",
        )
        for i, u in enumerate(users)
    ]
    receive(runner, reply_email(reqs[0], "Respuesta a tiempo."))  # answered in time...
    reqs[0].state, reqs[0].awaiting_description = "successful", False  # ...and successful
    reqs[1].state = "partially_successful"  # successful, never answered by email
    reqs[2].due_on = dt.date.today() - dt.timedelta(days=1)  # overdue now
    late = reqs[3]  # answered after its due date
    late.due_on = dt.date.today() - dt.timedelta(days=5)
    db.session.commit()
    receive(runner, reply_email(late, "Respuesta tardía."))
    stats = authority_stats(roads.id)
    # In time: of the requests answered or past due (0, 2, 3), only 0; 1 is not due yet and counts neither way
    assert stats == {"total": 4, "in_time": 1 / 3, "overdue": 0.25, "successful": 0.5}
    page = client.get(f"/en/foi/authorities/{roads.id}").get_data(as_text=True)
    assert "4 requests" in page and "Answered in time: 33%" in page and "Successful: 50%" in page
    data = client.get(f"/api/foi/authorities/{roads.id}.json").get_json()
    assert data["statistics"]["successful"] == 0.5 and data["statistics"]["total"] == 4
    assert db.session.scalar(select(FoiRequest.id).where(FoiRequest.id == reqs[0].id))
    fresh = make_request(
        authorities["Ministry of Roads"], user=make_user("new@example.org", "New"), title="Otra pregunta sobre caminos"
    )
    assert fresh.due_on > dt.date.today() and authority_stats(roads.id)["in_time"] == 1 / 3

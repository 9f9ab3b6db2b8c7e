"""The incoming-mail parser against every real email of Alaveteli's (the shared_data fixture)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from app.core.mail.parsing import decode_bytes, fold_quoted, html_to_text, note_text, parse, sniff_content_type

PLACEHOLDERS = {
    b"EMAIL_TO": b"request-7-abcdef12@plaza.test",
    b"EMAIL_FROM": b"foi@authority.example",
    b"EMAIL_CC": b"cc@authority.example",
    b"EMAIL_BCC": b"bcc@authority.example",
    b"EMAIL_ENVELOPE_TO": b"request-7-abcdef12@plaza.test",
}


@pytest.fixture
def load(alaveteli_mail):
    """load(name) -> the email's bytes, its placeholders filled in."""

    def read(name: str) -> bytes:
        raw = (alaveteli_mail / name).read_bytes()
        for key, value in PLACEHOLDERS.items():
            raw = raw.replace(key, value)
        return raw

    return read


@pytest.mark.shared_data
def test_the_shared_mail_is_there(alaveteli_mail):
    assert len(list(alaveteli_mail.glob("*.eml"))) >= 30


@pytest.mark.shared_data
def test_every_file_parses_without_error(alaveteli_eml, load):
    parsed = parse(load(alaveteli_eml.name))
    assert isinstance(parsed.text, str)
    assert "\r" not in parsed.text
    for att in parsed.attachments:
        assert att.filename and "/" not in att.filename
        assert att.size == len(att.data)
        assert att.content_type == att.content_type.lower() and "/" in att.content_type
    main, folded = fold_quoted(parsed.text)
    assert main or not parsed.text.strip()
    # Folding only moves text, never loses any words.
    assert set(parsed.text.split()) == set((main + " " + folded).split())


EXPECTED_TEXT = {
    "incoming-request-plain.eml": "No way! That's so totally a rubbish question",
    "mislabelled-as-iso-8859-1.eml": "THERE'S A DASH NEXT \u2013 REQUEST",
    "russian.eml": "\u0423\u0432\u0430\u0436\u0430\u0435\u043c\u0430\u044f",  # "Уважаемая"
    "iso8859_2_raw_email.eml": "Faleminderit per kerkesen t\u00ebnde",
    "multipart-no-final-boundary.eml": "irritatingly leaves out the final MIME boundary",
    "quoted-subject-iso8859-1.eml": "Documenta\u00e7\u00e3o",
    "dos-linebreaks.eml": "forwarded it\nto the relevant department",
    "space-boundary.eml": "Apologies. Herewith.",
    "document-pdf.eml": "Here's a PDF attachment",
    "track-response-generic-oof.eml": "hunting lions in Africa",
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name,snippet", sorted(EXPECTED_TEXT.items()))
def test_body_text_reads_as_a_person_expects(name, snippet, load):
    assert snippet in parse(load(name)).text


def _atts(load, name):
    return [(a.filename, a.content_type) for a in parse(load(name)).attachments]


@pytest.mark.shared_data
def test_attachments_are_found_sniffed_and_named(load):
    assert _atts(load, "document-pdf.eml") == [("tiny-example.pdf", "application/pdf")]
    assert _atts(load, "incoming-request-pdf-attachment.eml") == [("fs_50379341.pdf", "application/pdf")]
    assert _atts(load, "incoming-request-tnef-attachments.eml") == [
        ("FOI 09-02976i.doc", "application/msword"),
        ("FOI 09-02976iii.doc", "application/msword"),
    ]
    assert _atts(load, "incoming-request-two-same-name.eml") == [("hello-world.txt", "text/plain")] * 2
    assert ("test.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") in _atts(
        load, "no-body.eml"
    )
    assert _atts(load, "incoming-request-attach-attachments.eml") == [
        ("incoming-request-two-same-name.email", "message/rfc822")
    ]
    assert [n for n, _ in _atts(load, "non-utf8-filename.eml")] == ["RV %A312000 or more.xls", "other.xls"]


@pytest.mark.shared_data
def test_uuencoded_blocks_become_attachments(load):
    parsed = parse(load("incoming-request-bad-uuencoding.eml"))
    assert [a.filename for a in parsed.attachments] == ["moo.txt"]
    assert parsed.attachments[0].data.startswith(b"Cows are not as cute")
    assert "begin 600" not in parsed.text
    inline = parse(load("inline-uuencode.eml"))
    assert [(a.filename, a.content_type) for a in inline.attachments] == [("ResponseT7363 9.doc", "application/msword")]
    assert "scanned for viruses" in inline.text and "begin 666" not in inline.text


@pytest.mark.shared_data
def test_nested_messages_are_shown_and_their_attachments_extracted(load):
    parsed = parse(load("incoming-request-attachment-headers.eml"))
    assert "Here is some information" in parsed.text
    assert [a.filename for a in parsed.attachments] == ["info.jpg"]
    many = parse(load("many-attachments-date-header.eml"))
    names = [a.filename for a in many.attachments]
    assert "participant list.xls" in names and "Information Pack.pdf" in names


@pytest.mark.shared_data
def test_html_only_mail_is_converted_to_text(load):
    parsed = parse(load("utf-7-subject.eml"))
    assert parsed.subject == "Va\u0161e emailov\u00e1 zpr\u00e1va byla p\u0159evzata"
    assert "<td" not in parsed.text and "font :" not in parsed.text and "zprva aplikace Athena" in parsed.text
    assert html_to_text("<p>One &amp; two</p><ul><li>three</li></ul><script>x()</script>") == "One & two\n\n• three"


@pytest.mark.shared_data
def test_bounces_and_auto_replies_are_recognised(load):
    exim = parse(load("track-response-exim-bounce.eml"))
    assert exim.is_bounce and not exim.is_auto_reply and exim.bounced_recipients == ("user@example.com",)
    # Microsoft's "Delivery Status Notification (Delay)": the mail may still arrive, so it is a
    # notice (counted as an automatic reply), never a bounce that marks the address as failing.
    ms = parse(load("track-response-ms-bounce.eml"))
    assert ms.is_delay and ms.is_auto_reply and not ms.is_bounce and ms.bounced_recipients == ()
    header = parse(load("autoresponse-header.eml"))
    assert header.is_bounce and "enquiries@cheese.com" in header.bounced_recipients
    for name in ("track-response-outlook-oof.eml", "track-response-generic-oof.eml"):
        parsed = parse(load(name))
        assert parsed.is_auto_reply and not parsed.is_bounce
    plain = parse(load("incoming-request-plain.eml"))
    assert not plain.is_bounce and not plain.is_auto_reply and plain.bounced_recipients == ()


def test_broken_bytes_never_crash_and_leave_a_note(app):
    msg = b"From: a@b.c\nTo: request-1-abcdef12@x\nContent-Type: text/plain; charset=utf-8\n\nBad \xff\xfe bytes\n"
    parsed = parse(msg)
    assert "Bad" in parsed.text and "\ufffd" in parsed.text and "undecodable" in parsed.notes
    assert "could not be decoded" in note_text("undecodable")
    weird = parse(b"Content-Type: text/plain; charset=no-such-charset\n\nCaf\xe9")
    assert weird.text == "Caf\u00e9"
    assert parse(b"").text == "" and parse(b"\x00\xff garbage").attachments == ()
    assert parse(
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Transfer-Encoding: base64\n"
        b"Content-Type: application/pdf\n\n!!!notbase64\n"
    ).attachments


def test_charsets():
    assert decode_bytes("caf\u00e9 \u2013".encode("cp1252"), "iso-8859-1") == "caf\u00e9 \u2013"
    assert decode_bytes(b"Hi +AKM-1", "unicode-1-1-utf-7") == "Hi \u00a31"
    assert decode_bytes("\u00e9".encode(), "us-ascii") == "\u00e9"


def test_accepts_a_parsed_message_too():
    msg = EmailMessage()
    msg["Subject"] = "Hola"
    msg["From"] = "Ana <ana@example.org>"
    msg.set_content("Buenos d\u00edas")
    msg.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="octet-stream", filename="r.pdf")
    parsed = parse(msg)
    assert parsed.text == "Buenos d\u00edas" and parsed.from_addr == "ana@example.org"
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [("r.pdf", "application/pdf")]


def test_sniffing_normalises_types():
    assert sniff_content_type(b"%PDF-1.3", "document/pdf", "x") == "application/pdf"
    assert sniff_content_type(b"\xff\xd8\xff\xe0", "image/jpg", "a.jpg") == "image/jpeg"
    assert sniff_content_type(b"PK\x03\x04", "application/octet-stream", "a.docx").endswith("wordprocessingml.document")
    assert sniff_content_type(b"hello", "application/octet-stream", "notes.txt") == "text/plain"
    assert sniff_content_type(b"\x00\x01\x02", None, None) == "application/octet-stream"


@pytest.mark.shared_data
def test_fold_quoted_text_and_disclaimers(load):
    lotus = parse(load("lotus-notes-quoting.eml")).text
    main, folded = fold_quoted(lotus)
    assert main.endswith("FOI Team") and "Original text" in folded
    main, folded = fold_quoted("Thanks.\n\nOn Mon, 1 Jan 2024, Ana wrote:\n> my request\n> more")
    assert main == "Thanks." and folded.startswith("On Mon")
    main, folded = fold_quoted("Here it is.\n\n-----Original Message-----\nFrom: x\nTo: y\n\nold")
    assert main == "Here it is." and "old" in folded
    outlook = "Answer.\n\nFrom: Ana [mailto:a@b.c]\nSent: Monday\nTo: FOI\nSubject: req\n\nold text"
    assert fold_quoted(outlook) == (
        "Answer.",
        "From: Ana [mailto:a@b.c]\nSent: Monday\nTo: FOI\nSubject: req\n\nold text",
    )
    disclaimer = "Reply.\n\nThis email and any files transmitted with it are confidential. " + "x " * 150
    main, folded = fold_quoted(disclaimer)
    assert main == "Reply." and folded.startswith("This email")
    assert fold_quoted("> all quoted\n> text") == ("> all quoted\n> text", "")
    assert fold_quoted("") == ("", "")


def test_fold_quoted_welsh_and_spanish_quote_lines():
    welsh = (
        "Diolch am eich cais.\n\nAr 5 Mawrth 2026, am 10:15, ysgrifennodd Ana Pérez:\n> Annwyl Gyngor,\n> hen destun"
    )
    main, folded = fold_quoted(welsh)
    assert main == "Diolch am eich cais."
    assert folded.startswith("Ar 5 Mawrth 2026, am 10:15, ysgrifennodd Ana Pérez:") and "hen destun" in folded
    # also with an address after the name, and the older word order
    main, _ = fold_quoted("Atebwyd.\n\nAr Llun, 2 Maw 2026, ysgrifennodd Ana <ana@example.org>:\n> cwestiwn")
    assert main == "Atebwyd."
    main, _ = fold_quoted("Atebwyd.\n\nAr 2 Maw 2026 ysgrifennodd:\n> cwestiwn")
    assert main == "Atebwyd."
    main, folded = fold_quoted("Adjunto.\n\nEl lun, 2 mar 2026 a las 10:00, Ana escribió:\n> pregunta")
    assert main == "Adjunto." and folded.endswith("> pregunta")
    # a sentence that merely starts with "Ar" is kept
    assert fold_quoted("Hello.\nAr ôl ysgrifennodd hi ddoe: dim byd.\nMore")[1] == ""


def test_the_package_split_keeps_the_public_names():
    from app.core.mail import charsets, parsing, quoting

    assert parsing.fold_quoted is quoting.fold_quoted and parsing.decode_bytes is charsets.decode_bytes
    for name in (
        "parse",
        "fold_quoted",
        "note_text",
        "ParsedMail",
        "Attachment",
        "html_to_text",
        "decode_bytes",
        "sniff_content_type",
        "decode_header_value",
    ):
        assert hasattr(parsing, name), name


def test_only_the_quoted_tail_is_folded():
    inline = "Answers below.\n\n> 1. How many?\nTwelve.\n> 2. When?\nIn May.\n\nOn Mon, 1 Jan 2024, Ana wrote:\n> old"
    main, folded = fold_quoted(inline)
    assert main.endswith("In May.") and "> 1. How many?\nTwelve." in main
    assert folded == "On Mon, 1 Jan 2024, Ana wrote:\n> old"
    assert fold_quoted("> a line that starts with a quote mark\nand goes on") == (
        "> a line that starts with a quote mark\nand goes on",
        "",
    )


def test_french_and_arabic_quoted_header_blocks_are_folded():
    fr = "Voici la réponse.\n\nDe : Ana <ana@example.org>\nEnvoyé : lundi\nÀ : Ministère\nObjet : Demande\n\nMadame"
    assert fold_quoted(fr) == (
        "Voici la réponse.",
        "De : Ana <ana@example.org>\nEnvoyé : lundi\nÀ : Ministère\nObjet : Demande\n\nMadame",
    )
    ar = "هذا هو الرد.\n\nمن: أنا\nإلى: الوزارة\nالموضوع: طلب\n\nأود أن أعرف"
    main, folded = fold_quoted(ar)
    assert main == "هذا هو الرد." and folded.endswith("أود أن أعرف")


def test_html_links_keep_their_addresses():
    from app.core.mail.parsing import html_links_text

    html = (
        '<p>Ver <a href="http://ejemplo.es/doc">documento</a>, <a href="mailto:a@b.c">escribir</a>'
        ' y <a href="https://x.example/y">https://x.example/y</a></p>'
    )
    text = html_to_text(html)
    assert html_links_text(text, html) == text.replace("documento", "documento (http://ejemplo.es/doc)")
    assert html_links_text("plain", None) == "plain"

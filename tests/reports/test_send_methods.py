"""Each send method a contact may choose has one backend, and the dispatcher picks it by name."""

from __future__ import annotations

from app.reports import states as S
from app.reports.sending import BACKENDS, SendMethod, backend
from app.reports.sending.email import EmailSend
from app.reports.sending.open311 import Open311Send


def test_every_send_method_an_admin_can_choose_has_a_backend():
    assert set(BACKENDS) == set(S.SEND_METHODS)
    assert all(isinstance(b, SendMethod) and b.name == name for name, b in BACKENDS.items())


def test_the_dispatcher_picks_the_backend_by_the_contacts_method():
    assert isinstance(backend("open311"), Open311Send)
    assert isinstance(backend("email"), EmailSend)
    assert isinstance(backend(None), EmailSend)  # contacts made before methods existed send by email

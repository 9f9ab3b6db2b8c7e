"""The one masker of personal data in published text (FOI replies, answers to representatives)."""

from __future__ import annotations

from app.core.privacy import mask_personal


def test_addresses_and_phones_are_masked_but_figures_survive(app):
    with app.test_request_context("/"):
        text = (
            "Contact me on 029 2087 2000 or at jo.bloggs@example.org. The budget is £12 500 000 "
            "(2020-2025), 340.000.000 euros in all."
        )
        out = mask_personal(text)
    assert "2087 2000" not in out and "jo.bloggs" not in out
    assert out.count("[phone number]") == 1 and out.count("[email address]") == 1
    assert "£12 500 000" in out and "2020-2025" in out and "340.000.000 euros" in out


def test_write_answers_are_masked_like_foi_replies(app):
    from app.write.masking import mask_personal as write_mask

    text = "Ring 029 2087 2000; £12 500 000 for roads in 2024-2025."
    with app.test_request_context("/"):
        assert write_mask(text) == mask_personal(text) == "Ring [phone number]; £12 500 000 for roads in 2024-2025."

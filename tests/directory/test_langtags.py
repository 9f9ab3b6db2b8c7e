"""Language tags are normalised to BCP 47 (zh_hant → zh-Hant); garbage is rejected."""

import pytest

from app.directory.langtags import normalise


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("zh_hant", "zh-Hant"),
        ("zh-hans", "zh-Hans"),
        ("zh_cn", "zh-CN"),
        ("EN", "en"),
        ("pt_br", "pt-BR"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("es-419", "es-419"),
        ("cy", "cy"),
        ("", None),
        (None, None),
    ],
)
def test_bcp47_normalisation(raw, expected):
    assert normalise(raw) == expected


def test_garbage_is_rejected():
    with pytest.raises(ValueError):
        normalise("not a tag!")

from __future__ import annotations

import string

from kpi.errors import KpiError, UnreadableFileError
from kpi.i18n import catalog, normalise_lang, translate


def test_every_message_has_english_and_portuguese_with_the_same_placeholders():
    fmt = string.Formatter()
    for key, texts in catalog().items():
        assert set(texts) >= {"en", "pt"}, key
        names = [{f for _, f, _, _ in fmt.parse(texts[lang]) if f} for lang in ("en", "pt")]
        assert names[0] == names[1], key


def test_translate_fills_placeholders_and_falls_back_to_the_key():
    assert translate("common.error", "pt-BR", detail="x") == "Algo deu errado: x"
    assert translate("common.error", "fr", detail="x") == "Something went wrong: x"
    assert translate("no.such.key", "pt") == "no.such.key"


def test_browser_locales_map_to_supported_languages():
    assert normalise_lang("pt_BR") == "pt"
    assert normalise_lang("en-GB") == "en"
    assert normalise_lang(None) == "en"


def test_errors_carry_code_and_translate():
    error = UnreadableFileError("common.error", detail="boom")
    assert isinstance(error, KpiError)
    assert isinstance(error, ValueError)
    assert str(error) == "Something went wrong: boom"
    assert error.message("pt") == "Algo deu errado: boom"


def test_errors_survive_pickling_with_code_and_params():
    import pickle

    error = pickle.loads(pickle.dumps(UnreadableFileError("common.error", detail="x")))
    assert type(error) is UnreadableFileError
    assert error.code == "common.error"
    assert error.message("pt") == "Algo deu errado: x"

"""Pseudonymised customer ids on the Data page: no phone number or CPF anywhere on the page,
FCR unchanged, the workspace toggle, the sample, two workspaces, the upload limit."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
from app_support import ROOT, TIMEOUT_S
from streamlit import config
from streamlit.testing.v1 import AppTest

from kpi.compute import kpi_values
from kpi.privacy import SALT_SETTING, SWITCH_SETTING
from kpi.store import Workspace, named_workspace_dir

PHONES = ["+55 21 92765-2307", "155.045.680-64", "+55 11 98888-1234"]
# Six contacts of three customers; FCR (7-day window) by hand: handled and resolved and no
# contact of the same customer in the next 7 days.
#   1  +55 21 92765-2307  01-05 resolved, again on 01-07      → not FCR
#   2  155.045.680-64     01-05 resolved, next on 01-20       → FCR
#   3  +55 21 92765-2307  01-07 resolved, nothing after       → FCR
#   4  +55 11 98888-1234  01-08 not resolved                  → not FCR
#   5  +55 11 98888-1234  01-09 resolved, nothing after       → FCR
#   6  155.045.680-64     01-20 resolved, nothing after       → FCR
# FCR over the six handled contacts with a customer: 4 / 6.
CSV = (
    b"Ticket ID,Created At,Customer ID,Resolved,Agent\n"
    b"1,2026-01-05 08:00,+55 21 92765-2307,true,Ana\n"
    b"2,2026-01-05 09:00,155.045.680-64,true,Bruno\n"
    b"3,2026-01-07 10:00,+55 21 92765-2307,true,Ana\n"
    b"4,2026-01-08 11:00,+55 11 98888-1234,false,Bruno\n"
    b"5,2026-01-09 12:00,+55 11 98888-1234,true,Ana\n"
    b"6,2026-01-20 13:00,155.045.680-64,true,Bruno\n"
)


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _nodes(child)


def page_bytes(at: AppTest) -> bytes:
    """Every element of the last run (dataframes, tables, markdown, captions, widgets with
    their options and values) as serialised protobuf bytes, plus the dataframes as CSV."""
    parts = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            parts.append(proto.SerializeToString())
    for frame in [*at.dataframe, *at.table]:
        parts.append(frame.value.to_csv().encode())
    return b"\n".join(parts)


def assert_no_phone(at: AppTest) -> None:
    shown = page_bytes(at)
    assert len(shown) > 1000  # the walk did see the page
    for phone in PHONES:
        assert phone.encode() not in shown, phone
        assert phone.split()[-1].encode() not in shown, phone  # no fragment either


def customers(at: AppTest) -> list[str]:
    return at.session_state["kpi:dataset"].interactions["customer_id"].tolist()


def fcr(at: AppTest) -> float:
    frame = at.session_state["kpi:dataset"].interactions
    values = kpi_values(frame, ["fcr_rate"], freq="month")
    return float(values["value"].iloc[0])


def upload(at: AppTest, data: bytes = CSV) -> AppTest:
    at.file_uploader(key="data_upload").upload("contacts.csv", data, "text/csv")
    return at.run()


def test_uploaded_phone_numbers_never_reach_the_page(data_page: Callable[..., AppTest]) -> None:
    at = upload(data_page())
    assert not at.exception
    assert "Customer ids are pseudonymised in this workspace" in " ".join(
        c.value for c in at.caption)
    tokens = customers(at)
    assert all(len(t) == 16 and int(t, 16) >= 0 for t in tokens)
    assert len(set(tokens)) == 3
    assert fcr(at) == pytest.approx(4 / 6)
    assert_no_phone(at)
    # the mapping correction panel lists a column's values: the customer column too
    at.toggle(key="data_correct").set_value(True).run()
    values_column = next(w for w in at.selectbox if w.key.startswith("data_values_col_resolved_"))
    values_column.set_value("Customer ID").run()
    assert not at.exception
    options = next(w for w in at.multiselect if w.key.startswith("data_true_resolved_")).options
    assert sorted(options) == sorted(set(tokens))
    assert_no_phone(at)


def test_toggle_off_brings_raw_ids_back_and_on_the_same_tokens(
    data_page: Callable[..., AppTest],
) -> None:
    at = upload(data_page())
    tokens = customers(at)
    at.toggle(key="data_pseudonymise").set_value(False).run()
    assert not at.exception
    assert sorted(set(customers(at))) == sorted(PHONES)
    assert fcr(at) == pytest.approx(4 / 6)
    captions = " ".join(c.value for c in at.caption)
    assert "Customer ids are kept as they are in the files in this workspace." in captions
    assert "Customer ids are now kept as in the files: 6 contacts reloaded." in \
        [s.value for s in at.success]
    assert PHONES[0].encode() in page_bytes(at)  # the preview shows them now
    at.toggle(key="data_pseudonymise").set_value(True).run()
    assert not at.exception
    assert customers(at) == tokens
    assert_no_phone(at)


def test_setting_is_saved_in_the_workspace(data_page: Callable[..., AppTest]) -> None:
    at = data_page()
    workspace = Workspace.open(os.environ["KPI_WORKBENCH_HOME"])  # the app's own workspace
    assert workspace.get_setting(SWITCH_SETTING) is None  # on by default
    at.toggle(key="data_pseudonymise").set_value(False).run()
    assert workspace.get_setting(SWITCH_SETTING) == "off"
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    again.switch_page("pages/1_Data.py")
    again.run()
    assert again.toggle(key="data_pseudonymise").value is False


def test_the_sample_is_pseudonymised(data_page: Callable[..., AppTest]) -> None:
    at = data_page()
    at.button(key="data_sample").click().run()
    assert not at.exception
    raw = pd.read_csv(ROOT / "sample_data" / "contacts.csv", usecols=["Customer ID"],
                      dtype="str")["Customer ID"]
    loaded = pd.Series(customers(at), dtype="str")
    assert loaded.str.fullmatch(r"[0-9a-f]{16}").all()
    assert loaded.nunique() == raw.nunique()
    assert not loaded.isin(raw).any()
    shown = page_bytes(at)
    assert not any(value.encode() in shown for value in raw.head(200))


def test_two_workspaces_never_share_tokens(new_app: Callable[..., AppTest]) -> None:
    def open_in(workspace: str) -> AppTest:
        at = new_app()
        at.query_params["workspace"] = workspace
        at.switch_page("pages/1_Data.py")
        return upload(at.run())

    first, second = open_in("ops-rio"), open_in("ops-lisboa")
    assert not first.exception
    assert not second.exception
    assert set(customers(first)).isdisjoint(customers(second))
    rio = Workspace.open(named_workspace_dir("ops-rio"))
    assert rio.get_setting(SALT_SETTING) != \
        Workspace.open(named_workspace_dir("ops-lisboa")).get_setting(SALT_SETTING)
    assert open_in("ops-rio").session_state["kpi:dataset"].interactions["customer_id"] \
        .tolist() == customers(first)


@pytest.fixture
def upload_limit() -> Iterator[Callable[[int], None]]:
    before = config.get_option("server.maxUploadSize")

    def set_limit(mb: int) -> None:
        config.set_option("server.maxUploadSize", mb)

    yield set_limit
    config.set_option("server.maxUploadSize", before)


def test_upload_help_names_the_limit(data_page: Callable[..., AppTest],
                                     upload_limit: Callable[[int], None]) -> None:
    default = config.get_option("server.maxUploadSize")
    assert default == 200
    assert "Files up to 200 MB each" in data_page().file_uploader(key="data_upload").help
    upload_limit(50)
    help_pt = data_page(locale="pt-BR").file_uploader(key="data_upload").help
    assert "Arquivos de até 50 MB cada" in help_pt


def test_a_file_above_the_upload_limit_is_refused_by_the_loader_too(
    data_page: Callable[..., AppTest], upload_limit: Callable[[int], None],
) -> None:
    """Streamlit refuses it in the browser (in English); the loader refuses it as well, in the
    user's language, naming the limit — e.g. when a proxy or a script bypasses the widget."""
    rows = 45_000
    big = ("id,created_at\n" + "".join(
        f"{i},2026-01-{1 + i % 28:02d} 10:00:00\n" for i in range(rows))).encode()
    assert 1 << 20 < len(big) < 2 << 20
    upload_limit(1)
    at = upload(data_page(locale="pt-BR"), big)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "contacts.csv tem 1,1 MB; o limite é 1 MB." in errors.replace("\\", "")
    assert "kpi:dataset" not in at.session_state
    upload_limit(200)
    at = upload(data_page(), big)
    assert not at.error
    assert len(at.session_state["kpi:dataset"].interactions) == rows

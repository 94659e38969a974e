"""Translated sidebar navigation with ``st.page_link`` (Streamlit's own list is switched off).

Pages are discovered from ``pages/`` as Streamlit does (``<n>_<Name>.py``, ordered by ``n``), so
a page landed later appears without touching this module; known pages get a translated label
and a Material icon, others their file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from kpi.i18n import Lang, translate

ROOT = Path(__file__).resolve().parents[2]
MAIN_SCRIPT = "app.py"

#: page id → (label message key, Material icon)
KNOWN_PAGES: dict[str, tuple[str, str]] = {
    "overview": ("ui.nav.overview", ":material/dashboard:"),
    "data": ("ui.nav.data", ":material/upload:"),
    "kpis": ("ui.nav.kpis", ":material/checklist:"),
    "targets": ("ui.nav.targets", ":material/flag:"),
    "trends": ("ui.nav.trends", ":material/show_chart:"),
    "changes": ("ui.nav.changes", ":material/compare_arrows:"),
    "report": ("ui.nav.report", ":material/description:"),
    "workshop": ("workshop.nav", ":material/groups:"),
}
_PAGE_FILE = re.compile(r"^(?P<order>\d*)_?(?P<name>.+)\.py$")


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation: the script path relative to ``app.py``, id and icon."""

    path: str
    page_id: str
    name: str
    icon: str

    def label(self, lang: Lang) -> str:
        known = KNOWN_PAGES.get(self.page_id)
        return translate(known[0], lang) if known else self.name


def page_id_of(filename: str) -> str:
    """``"1_Data.py"`` → ``"data"``; ``"app.py"`` → ``"overview"``."""
    if filename == MAIN_SCRIPT:
        return "overview"
    match = _PAGE_FILE.match(filename)
    name = match["name"] if match else filename.removesuffix(".py")
    return name.lower()


def nav_items(root: Path = ROOT) -> tuple[NavItem, ...]:
    """The main script followed by ``pages/*.py`` in Streamlit's order."""

    def order(path: Path) -> tuple[float, str]:
        match = _PAGE_FILE.match(path.name)
        number = match["order"] if match else ""
        return (float(number) if number else float("inf"), path.name)

    files = sorted((root / "pages").glob("*.py"), key=order)
    items = [NavItem(MAIN_SCRIPT, "overview", "Overview", KNOWN_PAGES["overview"][1])]
    for path in files:
        page_id = page_id_of(path.name)
        match = _PAGE_FILE.match(path.name)
        name = (match["name"] if match else path.stem).replace("_", " ")
        icon = KNOWN_PAGES.get(page_id, ("", ":material/article:"))[1]
        items.append(NavItem(f"pages/{path.name}", page_id, name, icon))
    return tuple(items)


def page_label(page_id: str, lang: Lang) -> str:
    """The translated name of a page (its id when unknown)."""
    known = KNOWN_PAGES.get(page_id)
    return translate(known[0], lang) if known else page_id


def sidebar_nav(lang: Lang) -> None:
    """The links to every page, in the current language (call inside ``st.sidebar``)."""
    for item in nav_items():
        st.page_link(item.path, label=item.label(lang), icon=item.icon)

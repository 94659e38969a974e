"""KPI workbench: the library behind the app and the ``kpi`` command.

Everything here is pure Python (pandas, DuckDB, scipy); only :mod:`kpi.ui` imports Streamlit.
"""

from __future__ import annotations

__version__ = "0.1.0"

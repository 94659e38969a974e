"""What every page shares: the page frame, language, navigation, state access, cached loaders.

The only part of :mod:`kpi` that imports Streamlit; nothing else in ``kpi`` imports ``kpi.ui``.
"""

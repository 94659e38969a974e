"""Message catalogs, one module per area; see :mod:`kpi.i18n`."""

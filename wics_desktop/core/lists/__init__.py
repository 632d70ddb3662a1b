"""The lists of WICS as read models: which rows and columns each list shows, how a user's
filter text and sort become SQL, paging and row counts, and the xlsx export.

Qt-free: the desktop's list model (ui.tables.query_model) is a thin adapter over these, and
`wics list export` writes the same workbook from the command line.

- columns.py      Column (title, SQL expression, kind, format) and the filter syntax
- spec.py         TableSpec: a list's columns, query, row key, default sort
- definitions.py  the lists (counts, schedule, materials, SAP stock, ...)
- audit.py        the audit trail list
- query.py        ListQuery: filters, sort, keyset pages, row counts
- export.py       the xlsx export (through core.xlsx_writer)
- catalog.py      the lists by name for the command line
"""

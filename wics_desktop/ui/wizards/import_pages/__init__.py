"""The pages of the import wizard: file, sheet and columns, check, confirm, import, result.

Pages keep their choices in the wizard's ImportOptions and do their reading and importing on
the desktop's background runner (AppContext.runner); nothing slow runs on the GUI thread.

- file_page.py     1. the file (opened, dropped or typed)
- columns_page.py  2. the sheet, and which column is which field
- run_pages.py     3. the check (a trial run), 5. the import, 6. the result
- confirm_page.py  4. what will happen; the SAP date; the material master's fields and dry run
- running.py       a run on the runner with its progress bar and Cancel (3, 4, 5)
- widgets.py       the problems table and its export, the drop zone, small helpers
"""
from __future__ import annotations

from .columns_page import ColumnsPage
from .confirm_page import UPDATE_LABELS, ConfirmPage, MaterialMasterPlan
from .file_page import FilePage
from .run_pages import CheckPage, ResultPage, RunPage
from .running import RunningMixin
from .widgets import (
                      ERROR_COLUMNS,
                      FILE_FILTER,
                      NOT_READ,
                      SUFFIXES,
                      DropZone,
                      ErrorsTable,
                      dropped_file,
)

__all__ = ["FilePage", "ColumnsPage", "CheckPage", "ConfirmPage", "MaterialMasterPlan",
           "RunPage", "ResultPage", "RunningMixin", "ErrorsTable", "DropZone", "dropped_file",
           "FILE_FILTER", "SUFFIXES", "NOT_READ", "UPDATE_LABELS", "ERROR_COLUMNS"]

"""SQL view definitions and database scripts, shipped as package data (wics_desktop.sql)."""

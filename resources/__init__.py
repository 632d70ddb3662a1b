"""Icons, stylesheet and sample files, shipped as package data (wics_desktop.resources)."""

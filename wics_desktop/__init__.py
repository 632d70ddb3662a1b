"""WICS Desktop: warehouse cycle counting against SAP book stock."""

__version__ = "0.1.0"
APP_NAME = "WICS Desktop"
APP_SLUG = "wics"

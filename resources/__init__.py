"""Icons, stylesheet and sample files, shipped as package data (wics_desktop.resources)."""

from importlib import resources as _resources


def app_icon_files() -> list:
    """The app icon's files (SVG, then PNGs small to large) as real paths, from source and bundle.

    For Qt: `icon = QIcon(); [icon.addFile(str(f)) for f in app_icon_files()]`."""
    icons = _resources.files(__name__).joinpath("icons")
    pngs = sorted((p for p in icons.iterdir()
                   if p.name.startswith("wics-") and p.name.endswith(".png")),
                  key=lambda p: int(p.name[5:-4]))
    return [icons.joinpath("wics.svg"), *pngs]

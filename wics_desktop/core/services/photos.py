"""Photos of materials, stored in the database so every workstation sees them.

Width and height are read from the file's own header (PNG, JPEG, GIF, BMP, WebP), so the core
needs no imaging library and no Qt.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..actor import Actor
from ..errors import InputRejected, NotFound
from ..models import MaterialPhoto
from ..permissions import requires
from .fields import clean
from .material_lookup import material_or_404

MAX_PHOTO_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class PhotoInfo:
    id: int
    material_id: int
    content_type: str
    file_name: str | None
    width: int | None
    height: int | None
    size: int
    notes: str | None


def image_info(data: bytes) -> tuple[str, int | None, int | None]:
    """(content type, width, height) from the bytes; InputRejected when not an image we know."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return "image/png", w, h
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return "image/gif", w, h
    if data.startswith(b"BM") and len(data) >= 26:
        w, h = struct.unpack("<ii", data[18:26])
        return "image/bmp", abs(w), abs(h)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", *_webp_size(data)
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg", *_jpeg_size(data)
    raise InputRejected("The file is not a PNG, JPEG, GIF, BMP or WebP image.")


def _jpeg_size(data: bytes) -> tuple[int | None, int | None]:
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        # SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and i + 9 <= n:
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None, None


def _webp_size(data: bytes) -> tuple[int | None, int | None]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None, None


def _info(p: MaterialPhoto, size: int) -> PhotoInfo:
    return PhotoInfo(p.id, p.material_id, p.content_type, p.file_name, p.width, p.height, size,
                     p.notes)


@requires("edit_photos")
def add_photo(session: Session, actor: Actor, material_id: int, data: bytes | None = None, *,
              path: str | Path | None = None, file_name: str | None = None,
              notes: str | None = None) -> PhotoInfo:
    """Store a photo given as bytes or as a file path."""
    material_or_404(session, material_id)
    if data is None:
        if path is None:
            raise InputRejected("Give the photo's bytes or its file.")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputRejected(f"Cannot read {path}: {exc.strerror or exc}") from exc
        file_name = file_name or Path(path).name
    if not data:
        raise InputRejected("The photo file is empty.")
    if len(data) > MAX_PHOTO_BYTES:
        raise InputRejected(f"The photo is too large ({len(data) // 1024 // 1024} MB): "
                            f"at most {MAX_PHOTO_BYTES // 1024 // 1024} MB.")
    content_type, width, height = image_info(data)
    photo = MaterialPhoto(material_id=material_id, image=data, content_type=content_type,
                          file_name=clean(file_name, "The file name", 250), width=width,
                          height=height, notes=clean(notes, "The notes", 250))
    session.add(photo)
    session.flush()
    audit.record(session, actor, "material_photo", photo.id, "create", None, audit.snapshot(photo))
    return _info(photo, len(data))


def list_photos(session: Session, material_id: int) -> list[PhotoInfo]:
    """The photos of a material, without their bytes (fetch one with photo_bytes)."""
    from sqlalchemy import func

    q = (select(MaterialPhoto.id, MaterialPhoto.material_id, MaterialPhoto.content_type,
                MaterialPhoto.file_name, MaterialPhoto.width, MaterialPhoto.height,
                func.length(MaterialPhoto.image), MaterialPhoto.notes)
         .where(MaterialPhoto.material_id == material_id).order_by(MaterialPhoto.id))
    return [PhotoInfo(*row) for row in session.execute(q)]


def photo_bytes(session: Session, photo_id: int) -> bytes:
    data = session.scalar(select(MaterialPhoto.image).where(MaterialPhoto.id == photo_id))
    if data is None:
        raise NotFound(f"There is no photo with id {photo_id}.")
    return data


@requires("edit_photos")
def remove_photo(session: Session, actor: Actor, photo_id: int) -> None:
    photo = session.get(MaterialPhoto, photo_id)
    if photo is None:
        raise NotFound(f"There is no photo with id {photo_id}.")
    audit.record(session, actor, "material_photo", photo.id, "delete", audit.snapshot(photo), None)
    session.delete(photo)
    session.flush()

"""Operations files stay valid: the docker-compose file and the SQL scripts shipped with WICS."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_file_is_valid_and_complete():
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = doc["services"]
    assert services["mysql"]["image"].startswith("mysql:8")
    assert "--collation-server=utf8mb4_bin" in services["mysql"]["command"]
    assert "adminer" in services
    assert any("3306" in p for p in services["mysql"]["ports"])
    env_keys = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
                if line and not line.startswith("#")}
    # every ${VAR} the compose file requires is in .env.example
    import re

    needed = set(re.findall(r"\$\{(\w+):\?", (ROOT / "docker-compose.yml").read_text()))
    assert needed <= env_keys


def test_view_sql_ships_as_package_data():
    from wics_desktop.core.schema import view_names

    names = view_names("v1")
    assert names == sorted(["v_last_found_at_list", "v_latest_sap", "v_material_locations",
                            "v_materials"])
    for dialect in ("mysql", "sqlite"):
        for name in names:
            text = resources.files("wics_desktop.sql").joinpath(
                "views", "v1", dialect, f"{name}.sql").read_text()
            assert f"CREATE VIEW {name}" in text


def test_mysql8_default_authentication_works_without_tls():
    """MySQL 8.4 creates accounts with caching_sha2_password. Without TLS, PyMySQL must send the
    password RSA-encrypted with the server's key whenever the server's cache is cold (after
    every server restart): that needs `cryptography` (PyMySQL[rsa] in pyproject.toml), or the
    first connection of the day fails with "'cryptography' package is required"."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pymysql import _auth

    assert _auth._have_cryptography
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    sealed = _auth.sha2_rsa_encrypt(b"change-me", b"0123456789abcdefghij", pem)
    assert len(sealed) == 256

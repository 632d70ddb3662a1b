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


DOCS = ROOT / "docs"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    import re

    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_operations_docs_link_to_what_exists():
    """Every relative link in the operations documents points at a file that exists, and an
    anchor at a heading of that file."""
    import re

    for name in ("architecture.md", "operations.md", "cli.md", "views.md", "offline.md"):
        text = (DOCS / name).read_text()
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            file = (DOCS / path).resolve() if path else DOCS / name
            assert file.exists(), f"{name}: link to missing {target}"
            if anchor and file.suffix == ".md":
                headings = {_slug(h) for h in re.findall(r"^#+ (.+)$", file.read_text(), re.M)}
                assert anchor in headings, f"{name}: no heading for #{anchor} in {file.name}"


def test_architecture_has_the_diagrams_a_reader_needs():
    import re

    text = (DOCS / "architecture.md").read_text()
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    assert len(blocks) >= 6
    kinds = [b.split("\n", 1)[0].split()[0] for b in blocks]
    assert set(kinds) <= {"flowchart", "sequenceDiagram"}
    for b in blocks:
        if b.startswith("sequenceDiagram"):  # ';' ends a statement in a sequence diagram
            assert not [line for line in b.splitlines() if ";" in line]
    for topic in ("A SAP import", "Count entry", "Printing count sheets", "A sync after an outage",
                  "Deployment"):
        assert f"## {topic}" in text


def test_cli_reference_lists_every_command():
    """docs/cli.md names every command and action the `wics` parser has."""
    import argparse

    from wics_desktop.cli import build_parser

    text = (DOCS / "cli.md").read_text()

    def walk(parser, prefix):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, f"{prefix} {name}")
                return
        yield prefix

    commands = list(walk(build_parser(), "wics"))
    assert len(commands) > 25
    missing = [c for c in commands if f"`{c}" not in text and f"{c} " not in text]
    assert not missing, missing

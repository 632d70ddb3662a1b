"""A real WICS-3 database to migrate from: its tables as Django creates them on MySQL, filled
from the CSV exports in ../shared/data/wics3 the way WICS-3's loader did.

The DDL is written from WICS-3's model definitions (WICS/models.py, cMenu/models.py,
userprofiles/models.py and Django's auth tables at WICS-3 commit a6844cc): table names
`<app>_<model lower-cased>`, foreign keys as `<field>_id`, the unique constraints the models
declare, and the case-insensitive default collation WICS-3 ran with (the source of its "case
errors").
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import uuid

from sqlalchemy import create_engine, text

WICS3_DDL = """
CREATE TABLE WICS_organizations (id int AUTO_INCREMENT PRIMARY KEY, orgname varchar(250) NOT NULL);
CREATE TABLE WICS_whseparttypes (id int AUTO_INCREMENT PRIMARY KEY,
  WhsePartType varchar(50) NOT NULL, PartTypePriority smallint NULL,
  InactivePartType bool NOT NULL, CONSTRAINT PTypeUNQ_PType UNIQUE (WhsePartType));
CREATE TABLE WICS_materiallist (id int AUTO_INCREMENT PRIMARY KEY, org_id int NOT NULL,
  Material varchar(100) NOT NULL, Description varchar(250) NOT NULL, PartType_id int NULL,
  Plant varchar(20) NULL, SAPMaterialType varchar(100) NULL, SAPMaterialGroup varchar(100) NULL,
  SAPManuf varchar(100) NULL, SAPMPN varchar(100) NULL, SAPABC varchar(5) NULL,
  Price double NULL, PriceUnit int unsigned NULL, Currency varchar(20) NULL,
  TypicalContainerQty varchar(100) NULL, TypicalPalletQty varchar(100) NULL,
  Notes varchar(250) NULL,
  CONSTRAINT wics_materiallist_realpk UNIQUE (org_id, Material),
  FOREIGN KEY (org_id) REFERENCES WICS_organizations (id),
  FOREIGN KEY (PartType_id) REFERENCES WICS_whseparttypes (id));
CREATE TABLE WICS_materialphotos (id int AUTO_INCREMENT PRIMARY KEY, Material_id int NOT NULL,
  Photo varchar(100) NOT NULL, height int NOT NULL, width int NOT NULL, Notes varchar(250) NULL,
  FOREIGN KEY (Material_id) REFERENCES WICS_materiallist (id));
CREATE TABLE WICS_mfrpntomaterial (id int AUTO_INCREMENT PRIMARY KEY, MfrPN varchar(250) NOT NULL,
  Manufacturer varchar(250) NULL, Material_id int NOT NULL, Notes varchar(250) NULL,
  CONSTRAINT wics_mfrpntomaterial_mfrpn_unq UNIQUE (MfrPN),
  FOREIGN KEY (Material_id) REFERENCES WICS_materiallist (id));
CREATE TABLE auth_user (id int AUTO_INCREMENT PRIMARY KEY, password varchar(128) NOT NULL,
  last_login datetime(6) NULL, is_superuser bool NOT NULL, username varchar(150) NOT NULL UNIQUE,
  first_name varchar(150) NOT NULL, last_name varchar(150) NOT NULL, email varchar(254) NOT NULL,
  is_staff bool NOT NULL, is_active bool NOT NULL, date_joined datetime(6) NOT NULL);
CREATE TABLE auth_group (id int AUTO_INCREMENT PRIMARY KEY, name varchar(150) NOT NULL UNIQUE);
CREATE TABLE auth_user_groups (id bigint AUTO_INCREMENT PRIMARY KEY, user_id int NOT NULL,
  group_id int NOT NULL, UNIQUE (user_id, group_id));
CREATE TABLE cMenu_menugroups (id bigint AUTO_INCREMENT PRIMARY KEY,
  GroupName varchar(100) NOT NULL UNIQUE, GroupInfo varchar(250) NOT NULL);
CREATE TABLE userprofiles_wicsuser (id bigint AUTO_INCREMENT PRIMARY KEY,
  user_id int NOT NULL UNIQUE, menuGroup_id bigint NULL);
CREATE TABLE WICS_countschedule (id int AUTO_INCREMENT PRIMARY KEY, CountDate date NOT NULL,
  Material_id int NOT NULL, Requestor varchar(100) NULL, Requestor_userid_id bigint NULL,
  RequestFilled bool NULL, Counter varchar(250) NULL, Priority varchar(50) NULL,
  ReasonScheduled varchar(250) NULL, Notes varchar(250) NULL,
  CONSTRAINT wics_countschedule_realpk UNIQUE (CountDate, Material_id),
  FOREIGN KEY (Material_id) REFERENCES WICS_materiallist (id));
CREATE TABLE WICS_actualcounts (id int AUTO_INCREMENT PRIMARY KEY, CountDate date NOT NULL,
  CycCtID varchar(100) NULL, Material_id int NOT NULL, Counter varchar(250) NOT NULL,
  LocationOnly bool NOT NULL, CTD_QTY_Expr varchar(500) NULL, LOCATION varchar(250) NOT NULL,
  PKGID_Desc varchar(250) NULL, TAGQTY varchar(250) NULL, FLAG_PossiblyNotRecieved bool NOT NULL,
  FLAG_MovementDuringCount bool NOT NULL, Notes varchar(250) NULL,
  FOREIGN KEY (Material_id) REFERENCES WICS_materiallist (id));
CREATE TABLE WICS_sap_sohrecs (id int AUTO_INCREMENT PRIMARY KEY, uploaded_at date NOT NULL,
  org_id int NOT NULL, MaterialPartNum varchar(100) NOT NULL, Material_id int NULL,
  Description varchar(250) NULL, Plant varchar(20) NULL, MaterialType varchar(50) NULL,
  StorageLocation varchar(20) NULL, BaseUnitofMeasure varchar(20) NULL, Amount double NULL,
  Currency varchar(20) NULL, ValueUnrestricted double NULL, SpecialStock varchar(20) NULL,
  Blocked double NULL, ValueBlocked double NULL, Batch varchar(20) NULL, Vendor varchar(20) NULL);
CREATE TABLE WICS_sapplants_org (SAPPlant varchar(20) PRIMARY KEY, org_id int NOT NULL);
CREATE TABLE WICS_unitsofmeasure (id int AUTO_INCREMENT PRIMARY KEY,
  UOM varchar(50) NOT NULL UNIQUE, UOMText varchar(100) NOT NULL,
  DimensionText varchar(100) NOT NULL, Multiplier1 double NOT NULL);
CREATE TABLE WICS_worksheetzones (zone int PRIMARY KEY, zoneName varchar(10) NOT NULL);
CREATE TABLE WICS_location_worksheetzone (id int AUTO_INCREMENT PRIMARY KEY,
  location varchar(50) NOT NULL, zone_id int NOT NULL);
CREATE TABLE cMenu_cparameters (ParmName varchar(100) PRIMARY KEY, ParmValue varchar(512) NOT NULL,
  UserModifiable bool NOT NULL, Comments varchar(512) NOT NULL);
CREATE TABLE cMenu_cgreetings (id int AUTO_INCREMENT PRIMARY KEY, Greeting varchar(2000) NOT NULL);
"""


def _rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _d(text_value: str) -> dt.date:
    return dt.datetime.strptime(text_value.strip(), "%m/%d/%Y").date()


def _num(value: str):
    value = (value or "").replace(",", "").strip()
    return float(value) if value else None


def create_wics3_database(mysql_databases) -> str:
    """An empty database with WICS-3's tables (case-insensitive collation, as WICS-3 had)."""
    name = f"wics3_src_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with mysql_databases.engine.begin() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
                          "COLLATE utf8mb4_general_ci"))
    mysql_databases.names.append(name)
    url = mysql_databases.server_url.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in WICS3_DDL.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()
    return url


def fill_from_csv(url: str, folder) -> None:
    """Load the CSV exports as WICS-3's loader did (oldIDs kept as ids), plus a few rows of the
    tables the exports do not cover: users and groups, SAP stock, plants, units, MPNs,
    parameters and greetings."""
    engine = create_engine(url)
    with engine.begin() as conn:
        ins = lambda sql, rows: rows and conn.execute(text(sql), rows)  # noqa: E731
        ins("INSERT INTO WICS_organizations (id, orgname) VALUES (1, 'L10')", [{}])
        ins("INSERT INTO WICS_whseparttypes (id, WhsePartType, PartTypePriority, InactivePartType) "
            "VALUES (:id, :n, :p, :i)",
            [{"id": int(r["oldID"]), "n": r["L10Whse PartType"],
              # WICS-3's smallint cannot hold the Access priorities above 32767
              "p": min(int(r["Part Type Priority"]), 32767) if r["Part Type Priority"] else None,
              "i": r["Inactive Part Type"] == "TRUE"} for r in _rows(folder / "PartTypes.csv")])
        seen, mats = set(), []
        for r in _rows(folder / "MaterialList.csv"):
            if r["Material"] in seen:  # WICS-3's unique (org, Material) refused the repeat
                continue
            seen.add(r["Material"])
            mats.append({"id": int(r["oldID"]), "m": r["Material"], "d": r["Description"],
                         "pt": int(r["PartTypeID"]) if r["PartTypeID"] else None,
                         "ty": r["Material type"], "g": r["Material Group"],
                         "pr": _num(r["Price"]), "pu": _num(r["Price Unit"]), "n": r["Notes"]})
        ins("INSERT INTO WICS_materiallist (id, org_id, Material, Description, PartType_id, "
            "SAPMaterialType, SAPMaterialGroup, Price, PriceUnit, Notes) "
            "VALUES (:id, 1, :m, :d, :pt, :ty, :g, :pr, :pu, :n)", mats)
        ins("INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined) VALUES (:id, 'pbkdf2_sha256$x', :su, :u, "
            ":f, :l, '', :st, :a, NOW())",
            [{"id": 1, "su": True, "u": "calvin", "f": "Calvin", "l": "C", "st": True, "a": True},
             {"id": 2, "su": False, "u": "ryan", "f": "Ryan", "l": "", "st": True, "a": True},
             {"id": 3, "su": False, "u": "nate", "f": "", "l": "", "st": False, "a": True},
             {"id": 4, "su": False, "u": "olduser", "f": "", "l": "", "st": False, "a": False}])
        ins("INSERT INTO cMenu_menugroups (id, GroupName, GroupInfo) VALUES (1, 'Warehouse', '')",
            [{}])
        ins("INSERT INTO userprofiles_wicsuser (user_id, menuGroup_id) VALUES (:u, 1)",
            [{"u": 1}, {"u": 2}, {"u": 3}])
        ids = {m["id"] for m in mats}
        first_of = {r["Material"]: int(r["oldID"])
                    for r in reversed(_rows(folder / "MaterialList.csv"))}
        old_to_id = {r["oldID"]: (int(r["oldID"]) if int(r["oldID"]) in ids
                                  else first_of[r["Material"]])
                     for r in _rows(folder / "MaterialList.csv")}
        ins("INSERT INTO WICS_countschedule (CountDate, Material_id, Counter, Priority, "
            "ReasonScheduled, Notes, Requestor, Requestor_userid_id, RequestFilled) "
            "VALUES (:d, :m, :c, :p, :r, :n, :rq, :ru, :rf)",
            [{"d": _d(r["CountDate"]), "m": old_to_id[r["MaterialID"]], "c": r["Counter"] or None,
              "p": r["Priority"] or None, "r": r["Reason Scheduled"] or None,
              "n": r["Notes"] or None, "rq": "Ryan" if i % 50 == 0 else None,
              "ru": 2 if i % 50 == 0 else None, "rf": None}
             for i, r in enumerate(_rows(folder / "CountSched.csv"))])
        ins("INSERT INTO WICS_actualcounts (id, CountDate, Material_id, Counter, LocationOnly, "
            "CTD_QTY_Expr, LOCATION, PKGID_Desc, TAGQTY, FLAG_PossiblyNotRecieved, "
            "FLAG_MovementDuringCount, Notes) "
            "VALUES (:id, :d, :m, :c, :lo, :e, :loc, :p, :t, 0, 0, :n)",
            [{"id": int(r["oldID"]), "d": _d(r["CountDate"]), "m": old_to_id[r["MaterialID"]],
              "c": r["Counter"], "lo": not r["CTD QTY Expr"].strip(),
              "e": r["CTD QTY Expr"].strip() or None, "loc": location(r),
              "p": r["PKG ID/Desc"] or None, "t": r["TAG QTY"] or None, "n": r["Notes"] or None}
             for r in _rows(folder / "Counts.csv")])
        some = sorted(ids)[:3]
        part = {m["id"]: m["m"] for m in mats}
        ins("INSERT INTO WICS_sapplants_org (SAPPlant, org_id) VALUES ('FW10', 1)", [{}])
        ins("INSERT INTO WICS_unitsofmeasure (UOM, UOMText, DimensionText, Multiplier1) "
            "VALUES ('KPC', 'Thousand', '', 1000), ('EA', 'Each', '', 1), ('BOX', 'Box', '', 10)",
            [{}])
        ins("INSERT INTO WICS_sap_sohrecs (uploaded_at, org_id, MaterialPartNum, Material_id, "
            "Plant, StorageLocation, BaseUnitofMeasure, Amount) VALUES (:d, 1, :pn, :m, 'FW10', "
            "'0001', :u, :a)",
            [{"d": dt.date(2022, 6, 30), "pn": part[m], "m": m, "u": u, "a": a}
             for m, u, a in zip(some, ("KPC", "EA", "BOX"), (2.5, 40, 3), strict=True)])
        ins("INSERT INTO WICS_mfrpntomaterial (MfrPN, Manufacturer, Material_id) "
            "VALUES ('MPN-1', 'Acme', :m)", [{"m": some[0]}])
        ins("INSERT INTO cMenu_cparameters (ParmName, ParmValue, UserModifiable, Comments) VALUES "
            "('ACCURACY-DANGER', '85', 1, ''), ('SAP-FILELOC', 'C:/tmp/', 1, '')", [{}])
        ins("INSERT INTO cMenu_cgreetings (Greeting) VALUES ('Count twice, enter once.')", [{}])
    engine.dispose()


def location(row) -> str:
    parts = [p.strip() for p in (row["BIN/LOC"], row["PLT/POS"]) if p and p.strip()]
    return "_".join(parts) or "(none)"

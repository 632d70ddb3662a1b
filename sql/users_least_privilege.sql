-- Least-privilege accounts for a production WICS database `wics` on MySQL/MariaDB.
-- Run as an administrator; replace the passwords. See docs/operations.md.

-- The schema owner: used only for `wics db upgrade` (creates/alters tables and views).
CREATE USER IF NOT EXISTS 'wics_owner'@'%' IDENTIFIED BY 'change-me-owner';
GRANT ALL PRIVILEGES ON wics.* TO 'wics_owner'@'%';

-- The workstations: read and write data, no DDL.
CREATE USER IF NOT EXISTS 'wics_app'@'%' IDENTIFIED BY 'change-me-app';
GRANT SELECT, INSERT, UPDATE, DELETE, SHOW VIEW ON wics.* TO 'wics_app'@'%';

-- Reporting tools: read only.
CREATE USER IF NOT EXISTS 'wics_reader'@'%' IDENTIFIED BY 'change-me-reader';
GRANT SELECT, SHOW VIEW ON wics.* TO 'wics_reader'@'%';

-- Least-privilege accounts for a production WICS database `wics` on MySQL 8 / MariaDB 10.6+.
-- Run once as an administrator (mysql -u root -p < users_least_privilege.sql) after creating
-- the database, then change every password. docs/operations.md, "Accounts", explains each one;
-- tests/test_ops_accounts.py runs this file against MariaDB and checks what each account can do.
--
-- '%' lets an account connect from any host. Narrow it where your network allows, e.g.
-- 'wics_app'@'10.20.%' for the warehouse PCs, 'wics_backup'@'localhost' for a backup job that
-- runs on the database server itself.

-- The schema owner: used only for `wics db upgrade` (creates and alters tables and views).
-- The views run with their creator's rights (SQL SECURITY DEFINER): keep this account.
-- It also creates each person's server account and the roles (`wics user add`, the Users
-- screen on its connection): CREATE USER server-wide and GRANT OPTION on wics.* (MySQL 8:
-- also ROLE_ADMIN to grant the roles). Keep its password off the workstations.
CREATE USER IF NOT EXISTS 'wics_owner'@'%' IDENTIFIED BY 'change-me-owner';
GRANT ALL PRIVILEGES ON wics.* TO 'wics_owner'@'%' WITH GRANT OPTION;
GRANT CREATE USER ON *.* TO 'wics_owner'@'%';

-- Optional: a shared service account (URL with a password). Workstations no longer need it:
-- each person signs in with their own account (docs/operations.md, "Per-person server
-- accounts"). Keep it only for service jobs that cannot use a person's account.
CREATE USER IF NOT EXISTS 'wics_app'@'%' IDENTIFIED BY 'change-me-app';
GRANT SELECT, INSERT, UPDATE, DELETE, SHOW VIEW ON wics.* TO 'wics_app'@'%';

-- Reporting tools (Excel, Power BI, Adminer): read only, views included.
CREATE USER IF NOT EXISTS 'wics_reader'@'%' IDENTIFIED BY 'change-me-reader';
GRANT SELECT, SHOW VIEW ON wics.* TO 'wics_reader'@'%';

-- Backups: what `mysqldump --single-transaction --routines --triggers --events
-- --no-tablespaces wics` reads. (MySQL 8.0.32+ with GTIDs on: add --set-gtid-purged=OFF
-- to the dump, or grant RELOAD ON *.* as well.)
CREATE USER IF NOT EXISTS 'wics_backup'@'%' IDENTIFIED BY 'change-me-backup';
GRANT SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT ON wics.* TO 'wics_backup'@'%';

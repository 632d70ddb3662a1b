-- Runs once when the docker-compose MySQL volume is first created.
-- A read-only account for reporting tools (Excel, Power BI) that should see the views but
-- never change counts. WICS itself connects as `wics` (full rights on the wics schema).
CREATE USER IF NOT EXISTS 'wics_reader'@'%' IDENTIFIED BY 'change-me-reader';
GRANT SELECT, SHOW VIEW ON wics.* TO 'wics_reader'@'%';

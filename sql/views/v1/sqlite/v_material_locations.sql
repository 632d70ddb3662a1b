-- SQLite twin of mysql/v_material_locations.sql.
CREATE VIEW v_material_locations AS
SELECT
    vm.material_id,
    vm.org_id,
    vm.org_name,
    vm.part_number,
    vm.display_name,
    vm.part_type,
    vm.description,
    vm.notes,
    vm.last_count_date,
    vm.last_found_at,
    ls.upload_date AS sap_date,
    ls.storage_location,
    ls.amount,
    ls.base_uom,
    ls.quantity,
    ls.value_unrestricted,
    ls.currency,
    CASE WHEN ls.id IS NULL
              AND (vm.last_count_date IS NULL
                   OR vm.last_count_date < date('now', 'localtime', '-' || COALESCE(
                        (SELECT CAST(p.value AS INTEGER) FROM parameters p
                         WHERE p.name = 'LOCRPT-COUNTDAYS-IFNOSAP'), 30) || ' days'))
         THEN 1 ELSE 0 END AS do_not_show
FROM v_materials vm
LEFT JOIN v_latest_sap ls ON ls.material_id = vm.material_id

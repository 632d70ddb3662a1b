-- Material locations report: each material with where it was last found and its SAP storage
-- locations in the latest upload (one row per SAP row, or one row when it has none).
-- do_not_show = 1 for a material with no SAP stock rows whose last count is older than
-- parameter LOCRPT-COUNTDAYS-IFNOSAP days (default 30), or that was never counted.
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
                   OR vm.last_count_date < CURDATE() - INTERVAL COALESCE(
                        (SELECT CAST(p.value AS SIGNED) FROM parameters p
                         WHERE p.name = 'LOCRPT-COUNTDAYS-IFNOSAP'), 30) DAY)
         THEN 1 ELSE 0 END AS do_not_show
FROM v_materials vm
LEFT JOIN v_latest_sap ls ON ls.material_id = vm.material_id

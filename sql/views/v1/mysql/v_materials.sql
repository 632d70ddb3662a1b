-- Every material with its organization, part type, display name, last count date, last-found
-- locations, next scheduled count (after today) and whether it is scheduled today.
-- Correlated subqueries use ix_actual_counts_material_id_count_date and
-- ix_count_schedule_material_id, so one material costs a few index lookups however many
-- counts exist. "Today" is the server's date (the session time zone is UTC); reports in
-- WICS pass their date explicitly instead of relying on it.
CREATE VIEW v_materials AS
SELECT
    m.id AS material_id,
    m.org_id,
    o.name AS org_name,
    m.part_number,
    CASE WHEN EXISTS (SELECT 1 FROM materials m2
                      WHERE m2.part_number = m.part_number AND m2.org_id <> m.org_id)
         THEN CONCAT(m.part_number, ' (', o.name, ')')
         ELSE m.part_number END AS display_name,
    m.description,
    m.part_type_id,
    pt.name AS part_type,
    pt.priority AS part_type_priority,
    m.plant,
    m.sap_material_type,
    m.sap_material_group,
    m.sap_manufacturer,
    m.sap_mpn,
    m.sap_abc,
    m.price,
    m.price_unit,
    m.currency,
    m.typical_container_qty,
    m.typical_pallet_qty,
    m.notes,
    (SELECT MAX(lc.count_date) FROM actual_counts lc
     WHERE lc.material_id = m.id) AS last_count_date,
    (SELECT GROUP_CONCAT(DISTINCT ac.location ORDER BY ac.location SEPARATOR ', ')
     FROM actual_counts ac
     WHERE ac.material_id = m.id
       AND ac.count_date = (SELECT MAX(lc.count_date) FROM actual_counts lc
                            WHERE lc.material_id = m.id)) AS last_found_at,
    (SELECT MIN(cs.count_date) FROM count_schedule cs
     WHERE cs.material_id = m.id AND cs.count_date > CURDATE()) AS next_scheduled_count,
    EXISTS (SELECT 1 FROM count_schedule cs
            WHERE cs.material_id = m.id AND cs.count_date = CURDATE()) AS scheduled_today
FROM materials m
JOIN organizations o ON o.id = m.org_id
LEFT JOIN part_types pt ON pt.id = m.part_type_id

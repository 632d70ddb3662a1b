-- SQLite twin of mysql/v_materials.sql. SQLite 3.40 has no ORDER BY inside group_concat, so
-- the distinct locations are sorted in a subquery first. "Today" is the local date.
CREATE VIEW v_materials AS
SELECT
    m.id AS material_id,
    m.org_id,
    o.name AS org_name,
    m.part_number,
    CASE WHEN EXISTS (SELECT 1 FROM materials m2
                      WHERE m2.part_number = m.part_number AND m2.org_id <> m.org_id)
         THEN m.part_number || ' (' || o.name || ')'
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
    (SELECT group_concat(loc, ', ') FROM (
        SELECT DISTINCT ac.location AS loc
        FROM actual_counts ac
        WHERE ac.material_id = m.id
          AND ac.count_date = (SELECT MAX(lc.count_date) FROM actual_counts lc
                               WHERE lc.material_id = m.id)
        ORDER BY ac.location)) AS last_found_at,
    (SELECT MIN(cs.count_date) FROM count_schedule cs
     WHERE cs.material_id = m.id AND cs.count_date > date('now', 'localtime')) AS next_scheduled_count,
    EXISTS (SELECT 1 FROM count_schedule cs
            WHERE cs.material_id = m.id
              AND cs.count_date = date('now', 'localtime')) AS scheduled_today
FROM materials m
JOIN organizations o ON o.id = m.org_id
LEFT JOIN part_types pt ON pt.id = m.part_type_id

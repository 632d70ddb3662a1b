-- One row per (material, location) of the material's latest count date, location-only counts
-- included: where a counter should look first. Uses ix_actual_counts_material_id_count_date.
CREATE VIEW v_last_found_at_list AS
SELECT DISTINCT
    ac.material_id,
    ac.location,
    ac.count_date
FROM actual_counts ac
WHERE ac.count_date = (SELECT MAX(lc.count_date) FROM actual_counts lc
                       WHERE lc.material_id = ac.material_id)

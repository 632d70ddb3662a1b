-- The rows of each organization's most recent SAP stock-on-hand upload, with the unit's
-- multiplier (1 for a unit missing from units_of_measure) and the quantity in counting units.
-- Uses ix_sap_stock_org_id_upload_date for the per-org latest date.
CREATE VIEW v_latest_sap AS
SELECT
    s.id,
    s.upload_date,
    s.org_id,
    s.part_number,
    s.material_id,
    s.description,
    s.plant,
    s.material_type,
    s.storage_location,
    s.base_uom,
    s.amount,
    COALESCE(u.multiplier, 1) AS multiplier,
    s.amount * COALESCE(u.multiplier, 1) AS quantity,
    s.currency,
    s.value_unrestricted,
    s.special_stock,
    s.batch,
    s.vendor,
    s.blocked,
    s.value_blocked
FROM sap_stock s
JOIN (SELECT org_id, MAX(upload_date) AS upload_date
      FROM sap_stock GROUP BY org_id) latest
  ON latest.org_id = s.org_id AND latest.upload_date = s.upload_date
LEFT JOIN units_of_measure u ON u.uom = s.base_uom

-- The console's device list orders by "lastInformAt" DESC NULLS LAST, "serialNumber". The ascending
-- ("tenantId", "lastInformAt") index could serve no scan in that order, so every page sorted all of a domain's
-- devices (a sequential scan and a sort over the whole table for a platform admin's first page). These two serve
-- the first page (walk the list-order index, stop at the page) and a domain's page (per tenant, already in order).
DROP INDEX "Device_tenantId_lastInformAt_idx";
CREATE INDEX "Device_lastInformAt_serialNumber_idx" ON "Device"("lastInformAt" DESC NULLS LAST, "serialNumber");
CREATE INDEX "Device_tenantId_lastInformAt_serialNumber_idx" ON "Device"("tenantId", "lastInformAt" DESC NULLS LAST, "serialNumber");

-- The list's search is case-insensitive (ILIKE) on the serial number (prefix) and the MAC address (anywhere, as
-- printed on a label): trigram indexes serve both whatever the database's collation. pg_trgm is a contrib
-- extension: the embedded PostgreSQL ships it; an external server needs postgresql-contrib.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Device_serialNumber_trgm_idx" ON "Device" USING GIN ("serialNumber" gin_trgm_ops);
CREATE INDEX "Device_macAddress_trgm_idx" ON "Device" USING GIN ("macAddress" gin_trgm_ops);
-- ...and the external IP by prefix (LIKE 'x%', case-sensitive), in any collation.
CREATE INDEX "Device_externalIp_idx" ON "Device"("externalIp" text_pattern_ops);

-- Support finds a device by any part of what the guest or the subscriber can read out: "103" finds room 103, the
-- device HWTC7A1B0103 and the IP 10.0.103.7. The list's search matches inside serials, MACs and IP addresses and,
-- through the device's assignment, inside room numbers, room names and subscriber ids (ILIKE '%...%'). Trigram
-- indexes serve a match anywhere in a value; the IP's pattern index served only a prefix, so the trigram one
-- replaces it (it serves prefixes too).
DROP INDEX "Device_externalIp_idx";
CREATE INDEX "Device_externalIp_trgm_idx" ON "Device" USING GIN ("externalIp" gin_trgm_ops);
CREATE INDEX "Room_number_trgm_idx" ON "Room" USING GIN ("number" gin_trgm_ops);
CREATE INDEX "Room_name_trgm_idx" ON "Room" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "Subscriber_externalId_trgm_idx" ON "Subscriber" USING GIN ("externalId" gin_trgm_ops);

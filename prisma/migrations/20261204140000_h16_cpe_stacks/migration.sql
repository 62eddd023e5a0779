-- A CPE that applies new credentials only after a restart keeps using the previous one until then.
ALTER TABLE "Device" ADD COLUMN "cwmpPreviousCredentialUntil" TIMESTAMPTZ(3),
ADD COLUMN "cwmpLastCredential" TEXT;

-- The connection request's status lines and challenge, kept with its outcome.
ALTER TABLE "Task" ADD COLUMN "wakeDetail" TEXT;

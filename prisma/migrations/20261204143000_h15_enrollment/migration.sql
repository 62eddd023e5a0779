-- Per-domain CPE enrollment credentials and held re-enrollment after a factory reset.
ALTER TABLE "Tenant" ADD COLUMN "cwmpEnrollUsername" TEXT,
ADD COLUMN "cwmpEnrollHa1Md5" TEXT,
ADD COLUMN "cwmpEnrollHa1Sha256" TEXT,
ADD COLUMN "autoReadmit" BOOLEAN NOT NULL DEFAULT false;

CREATE UNIQUE INDEX "Tenant_cwmpEnrollUsername_key" ON "Tenant"("cwmpEnrollUsername");

ALTER TABLE "Device" ADD COLUMN "reenrollRequestedAt" TIMESTAMPTZ(3),
ADD COLUMN "reenrollApprovedAt" TIMESTAMPTZ(3);

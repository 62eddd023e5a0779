-- The hotel's property-management system: one connector per hotel domain (FIAS link or cloud PMS webhooks),
-- its status, and the lease that lets one worker process hold a FIAS link.
-- CreateEnum
CREATE TYPE "PmsKind" AS ENUM ('fias', 'mews', 'apaleo', 'cloudbeds');

-- CreateEnum
CREATE TYPE "PmsLinkState" AS ENUM ('disconnected', 'connected', 'error');

-- CreateTable
CREATE TABLE "PmsConnector" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "kind" "PmsKind" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "fiasHost" TEXT,
    "fiasPort" INTEGER,
    "webhookSecret" TEXT,
    "apiBaseUrl" TEXT,
    "apiClientToken" TEXT,
    "apiAccessToken" TEXT,
    "roomMapping" JSONB NOT NULL DEFAULT '{}',
    "state" "PmsLinkState" NOT NULL DEFAULT 'disconnected',
    "stateChangedAt" TIMESTAMPTZ(3),
    "lastRecordAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "recordCount" INTEGER NOT NULL DEFAULT 0,
    "checkoutCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "leaseHolder" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "updatedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PmsConnector_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PmsConnector_tenantId_key" ON "PmsConnector"("tenantId");

-- CreateIndex
CREATE INDEX "PmsConnector_kind_enabled_idx" ON "PmsConnector"("kind", "enabled");

-- AddForeignKey
ALTER TABLE "PmsConnector" ADD CONSTRAINT "PmsConnector_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

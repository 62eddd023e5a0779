-- CreateEnum
CREATE TYPE "FirmwareCampaignState" AS ENUM ('running', 'paused', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "CampaignDeviceState" AS ENUM ('pending', 'downloading', 'installing', 'installed', 'failed', 'notReturned', 'skipped', 'cancelled');

-- CreateEnum
CREATE TYPE "AlarmSeverity" AS ENUM ('warning', 'minor', 'major', 'critical');

-- CreateEnum
CREATE TYPE "AlarmState" AS ENUM ('active', 'cleared');

-- CreateEnum
CREATE TYPE "DiagnosticKind" AS ENUM ('ping', 'traceroute', 'download', 'upload', 'dns', 'wifiScan');

-- CreateEnum
CREATE TYPE "DiagnosticState" AS ENUM ('requested', 'collecting', 'complete', 'failed');

-- CreateTable
CREATE TABLE "FirmwareCampaign" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "domainId" UUID NOT NULL,
    "fileId" UUID NOT NULL,
    "productClass" TEXT NOT NULL,
    "tag" TEXT,
    "fromVersions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "targetVersion" TEXT NOT NULL,
    "waves" INTEGER[],
    "windows" JSONB NOT NULL DEFAULT '[]',
    "maxConcurrent" INTEGER NOT NULL DEFAULT 50,
    "failureThreshold" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "downloadTimeoutMinutes" INTEGER NOT NULL DEFAULT 120,
    "returnTimeoutMinutes" INTEGER NOT NULL DEFAULT 60,
    "state" "FirmwareCampaignState" NOT NULL DEFAULT 'running',
    "currentWave" INTEGER NOT NULL DEFAULT 0,
    "acceptedFailures" INTEGER NOT NULL DEFAULT 0,
    "pausedReason" TEXT,
    "startsAt" TIMESTAMPTZ(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "FirmwareCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FirmwareCampaignDevice" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "wave" INTEGER NOT NULL,
    "state" "CampaignDeviceState" NOT NULL DEFAULT 'pending',
    "taskId" UUID,
    "fromVersion" TEXT,
    "reason" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "downloadedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "FirmwareCampaignDevice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitoringProfile" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "productClass" TEXT NOT NULL DEFAULT '',
    "metrics" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "intervalSeconds" INTEGER NOT NULL DEFAULT 900,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MonitoringProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeviceMetric" (
    "deviceId" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DeviceMetric_pkey" PRIMARY KEY ("deviceId","metric")
);

-- CreateTable
-- Partitioned by day on "at", which Prisma's schema cannot say; the partitions are plain tables of their own.
CREATE TABLE "MetricSample" (
    "deviceId" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("deviceId","metric","at")
) PARTITION BY RANGE ("at");

-- CreateTable
CREATE TABLE "AlarmRule" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "productClass" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlarmRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alarm" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "severity" "AlarmSeverity" NOT NULL,
    "state" "AlarmState" NOT NULL DEFAULT 'active',
    "activeKey" TEXT,
    "message" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "raisedAt" TIMESTAMPTZ(3) NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,
    "clearedAt" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedBy" TEXT,

    CONSTRAINT "Alarm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "deviceId" UUID,
    "subjectType" TEXT,
    "subjectId" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DomainEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Diagnostic" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "kind" "DiagnosticKind" NOT NULL,
    "state" "DiagnosticState" NOT NULL DEFAULT 'requested',
    "path" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "setTaskId" UUID,
    "readTaskId" UUID,
    "result" JSONB,
    "summary" TEXT,
    "error" TEXT,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Diagnostic_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FirmwareCampaign_state_idx" ON "FirmwareCampaign"("state");

-- CreateIndex
CREATE INDEX "FirmwareCampaign_fileId_idx" ON "FirmwareCampaign"("fileId");

-- CreateIndex
CREATE UNIQUE INDEX "FirmwareCampaign_tenantId_name_key" ON "FirmwareCampaign"("tenantId", "name");

-- CreateIndex
CREATE INDEX "FirmwareCampaignDevice_campaignId_state_wave_idx" ON "FirmwareCampaignDevice"("campaignId", "state", "wave");

-- CreateIndex
CREATE INDEX "FirmwareCampaignDevice_deviceId_idx" ON "FirmwareCampaignDevice"("deviceId");

-- CreateIndex
CREATE UNIQUE INDEX "FirmwareCampaignDevice_campaignId_deviceId_key" ON "FirmwareCampaignDevice"("campaignId", "deviceId");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoringProfile_tenantId_name_key" ON "MonitoringProfile"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "AlarmRule_tenantId_type_productClass_key" ON "AlarmRule"("tenantId", "type", "productClass");

-- CreateIndex
CREATE UNIQUE INDEX "Alarm_activeKey_key" ON "Alarm"("activeKey");

-- CreateIndex
CREATE INDEX "Alarm_tenantId_state_raisedAt_idx" ON "Alarm"("tenantId", "state", "raisedAt");

-- CreateIndex
CREATE INDEX "Alarm_deviceId_state_idx" ON "Alarm"("deviceId", "state");

-- CreateIndex
CREATE INDEX "DomainEvent_tenantId_id_idx" ON "DomainEvent"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Diagnostic_deviceId_createdAt_idx" ON "Diagnostic"("deviceId", "createdAt");

-- CreateIndex
CREATE INDEX "Diagnostic_state_createdAt_idx" ON "Diagnostic"("state", "createdAt");

-- AddForeignKey
ALTER TABLE "FirmwareCampaign" ADD CONSTRAINT "FirmwareCampaign_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FirmwareCampaign" ADD CONSTRAINT "FirmwareCampaign_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "File"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FirmwareCampaignDevice" ADD CONSTRAINT "FirmwareCampaignDevice_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "FirmwareCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FirmwareCampaignDevice" ADD CONSTRAINT "FirmwareCampaignDevice_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitoringProfile" ADD CONSTRAINT "MonitoringProfile_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceMetric" ADD CONSTRAINT "DeviceMetric_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlarmRule" ADD CONSTRAINT "AlarmRule_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alarm" ADD CONSTRAINT "Alarm_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alarm" ADD CONSTRAINT "Alarm_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DomainEvent" ADD CONSTRAINT "DomainEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Diagnostic" ADD CONSTRAINT "Diagnostic_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Diagnostic" ADD CONSTRAINT "Diagnostic_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateFunction (not Prisma's: partitions of "MetricSample")
-- One partition per UTC day, named MetricSample_YYYYMMDD. Creates the partitions of from_day..to_day that are
-- missing and drops those of days before drop_before (retention; NULL keeps everything). Serialised by an
-- advisory lock so that two processes never create the same partition at once.
CREATE FUNCTION "maintain_metric_sample_partitions"(from_day DATE, to_day DATE, drop_before DATE DEFAULT NULL)
RETURNS TABLE ("created" INTEGER, "dropped" INTEGER)
LANGUAGE plpgsql AS $$
DECLARE
    day DATE;
    partition_name TEXT;
    old RECORD;
    n_created INTEGER := 0;
    n_dropped INTEGER := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('MetricSample partitions'));
    day := from_day;
    WHILE day <= to_day LOOP
        partition_name := 'MetricSample_' || to_char(day, 'YYYYMMDD');
        IF to_regclass(quote_ident(partition_name)) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF "MetricSample" FOR VALUES FROM (%L) TO (%L)',
                partition_name,
                (day::timestamp AT TIME ZONE 'UTC'),
                ((day + 1)::timestamp AT TIME ZONE 'UTC')
            );
            n_created := n_created + 1;
        END IF;
        day := day + 1;
    END LOOP;
    IF drop_before IS NOT NULL THEN
        FOR old IN
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'MetricSample' AND c.relname ~ '^MetricSample_[0-9]{8}$'
              AND to_date(right(c.relname, 8), 'YYYYMMDD') < drop_before
        LOOP
            EXECUTE format('DROP TABLE %I', old.relname);
            n_dropped := n_dropped + 1;
        END LOOP;
    END IF;
    RETURN QUERY SELECT n_created, n_dropped;
END;
$$;

-- CreatePartitions (not Prisma's): yesterday to a week ahead; the monitoring scheduler keeps creating them.
SELECT * FROM "maintain_metric_sample_partitions"((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7);

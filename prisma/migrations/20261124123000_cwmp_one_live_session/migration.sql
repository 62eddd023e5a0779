-- AlterTable
ALTER TABLE "CwmpSession" ADD COLUMN     "live" BOOLEAN DEFAULT true;

-- Sessions last seconds: end every open one so that the unique index below can be built.
UPDATE "CwmpSession" SET "ended" = true, "live" = NULL;

-- CreateIndex
CREATE UNIQUE INDEX "CwmpSession_deviceId_live_key" ON "CwmpSession"("deviceId", "live");

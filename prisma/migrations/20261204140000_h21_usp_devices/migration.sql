-- CreateEnum
CREATE TYPE "DeviceProtocol" AS ENUM ('cwmp', 'usp');

-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "protocol" "DeviceProtocol" NOT NULL DEFAULT 'cwmp',
ADD COLUMN     "uspEndpointId" TEXT,
ADD COLUMN     "uspMtp" TEXT,
ADD COLUMN     "uspReplyTopic" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Device_uspEndpointId_key" ON "Device"("uspEndpointId");

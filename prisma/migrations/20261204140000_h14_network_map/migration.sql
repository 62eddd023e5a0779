-- A checkout that could not give every network of the room the new passphrase ends "incomplete" and says which.
ALTER TYPE "CheckoutState" ADD VALUE 'incomplete' BEFORE 'failed';
ALTER TABLE "Checkout" ADD COLUMN "networks" JSONB NOT NULL DEFAULT '[]';

-- Each device's networks as read from its WiFi and WAN subtrees.
CREATE TABLE "DeviceNetworkMap" (
    "deviceId" UUID NOT NULL,
    "map" JSONB NOT NULL,
    "recognised" BOOLEAN NOT NULL,
    "readAt" TIMESTAMPTZ(3) NOT NULL,
    "stale" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "DeviceNetworkMap_pkey" PRIMARY KEY ("deviceId")
);

ALTER TABLE "DeviceNetworkMap" ADD CONSTRAINT "DeviceNetworkMap_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Firmware campaigns target chosen sites, several models and any of several tags.
ALTER TABLE "FirmwareCampaign" ADD COLUMN "siteIds" UUID[] DEFAULT ARRAY[]::UUID[];
ALTER TABLE "FirmwareCampaign" ADD COLUMN "productClasses" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "FirmwareCampaign" ADD COLUMN "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

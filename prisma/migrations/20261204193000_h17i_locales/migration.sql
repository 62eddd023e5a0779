-- The console's language: a person's own choice, then their domain's default; the guest card's languages per domain.
ALTER TABLE "User" ADD COLUMN "locale" TEXT;
ALTER TABLE "Tenant" ADD COLUMN "defaultLocale" TEXT;
ALTER TABLE "Tenant" ADD COLUMN "cardLocales" TEXT[] DEFAULT ARRAY[]::TEXT[];

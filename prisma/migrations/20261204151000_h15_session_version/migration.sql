-- Sessions carry the account's session version; signing out, a new password, disabling or a role change raise it.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- Sign-in limits per client address, per (email, address) and per email from unfamiliar addresses replace the
-- per-account lock, which let a stranger keep any account locked.
-- CreateEnum
CREATE TYPE "SignInLimitScope" AS ENUM ('pair', 'address', 'account');

-- CreateTable
CREATE TABLE "SignInLimit" (
    "scope" "SignInLimitScope" NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" TIMESTAMPTZ(3),
    "blockedUntil" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),

    CONSTRAINT "SignInLimit_pkey" PRIMARY KEY ("scope","email","address")
);

-- AlterTable
ALTER TABLE "User" DROP COLUMN "failedSignIns",
DROP COLUMN "lockedUntil";

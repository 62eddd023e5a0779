import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Secrets {
  nextAuthSecret: string;
  /** The shared first-contact CWMP password, unique per installation instead of a well-known default. */
  cwmpBootstrapPassword: string;
}

/** Secrets Beacon generates once and keeps in the data folder, so sessions and CPEs survive restarts. */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "secrets.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<Secrets>) : {};
  const secrets: Secrets = {
    nextAuthSecret: stored.nextAuthSecret ?? randomBytes(32).toString("base64url"),
    cwmpBootstrapPassword: stored.cwmpBootstrapPassword ?? randomBytes(12).toString("base64url"),
  };
  if (
    stored.nextAuthSecret !== secrets.nextAuthSecret ||
    stored.cwmpBootstrapPassword !== secrets.cwmpBootstrapPassword
  ) {
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

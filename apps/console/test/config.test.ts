import { describe, expect, it } from "vitest";
import { ConsoleConfigInvalid, parseConsoleConfig } from "../src/server/config.ts";

const DATABASE_URL = "postgresql://beacon:secret@127.0.0.1:5432/beacon";

describe("parseConsoleConfig", () => {
  it("reads the database, secret and public URL", () => {
    const { connectionRequests, ...config } = parseConsoleConfig({
      NODE_ENV: "production",
      DATABASE_URL,
      NEXTAUTH_SECRET: "s3cret",
      NEXTAUTH_URL: "https://acs.example.com",
      BEACON_DATA_DIR: "/var/lib/beacon",
      BEACON_FIRMWARE_MAX_BYTES: "1073741824",
    });
    expect(config).toEqual({
      production: true,
      databaseUrl: DATABASE_URL,
      authSecret: "s3cret",
      publicUrl: "https://acs.example.com",
      dataDir: "/var/lib/beacon",
      firmwareMaxBytes: 1024 ** 3,
      pmsApiAllowPrivateNetworks: false,
      cwmpUrl: "http://{host}:7547/",
    });
    expect(connectionRequests.allowBasic).toBe(false);
  });

  it("reads DATABASE_REPLICA_URL for the console's reads, and names it when it is not a PostgreSQL URL", () => {
    const replica = "postgresql://beacon:secret@replica.example.com:5432/beacon";
    expect(parseConsoleConfig({ DATABASE_URL, DATABASE_REPLICA_URL: replica }).replicaUrl).toBe(replica);
    expect(parseConsoleConfig({ DATABASE_URL, DATABASE_REPLICA_URL: "" }).replicaUrl).toBeUndefined();
    expect(() => parseConsoleConfig({ DATABASE_URL, DATABASE_REPLICA_URL: "mysql://x" })).toThrow(
      /DATABASE_REPLICA_URL must be a postgresql:\/\/ connection string/,
    );
  });

  it("names DATABASE_URL when it is missing or not a PostgreSQL URL", () => {
    expect(() => parseConsoleConfig({})).toThrow(/DATABASE_URL is not set/);
    expect(() => parseConsoleConfig({ DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL must be a postgresql:\/\/ connection string/,
    );
  });

  it("refuses to run in production without NEXTAUTH_SECRET, and says so in one sentence", () => {
    expect(() => parseConsoleConfig({ NODE_ENV: "production", DATABASE_URL })).toThrow(ConsoleConfigInvalid);
    expect(() => parseConsoleConfig({ NODE_ENV: "production", DATABASE_URL })).toThrow(
      "The console cannot start: NEXTAUTH_SECRET is not set; production needs a long random secret to sign sessions.",
    );
  });

  it("names NEXTAUTH_URL when it is not an absolute URL", () => {
    expect(() => parseConsoleConfig({ DATABASE_URL, NEXTAUTH_URL: "acs.example.com" })).toThrow(
      /NEXTAUTH_URL must be an absolute URL/,
    );
  });

  it("works outside production without a secret", () => {
    expect(parseConsoleConfig({ DATABASE_URL }).authSecret.length).toBeGreaterThan(20);
  });
});

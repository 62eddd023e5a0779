import { resolve } from "node:path";
import { type ConnectionRequestTargets, connectionRequestTargets, databaseUrlPort } from "@beacon/domain";
import { z } from "zod";

const list = z
  .string()
  .default("")
  .transform((v) => v.split(/[\s,]+/).filter(Boolean));
const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a port number`)
    .min(1, `${name} must be from 1 to 65535`)
    .max(65535, `${name} must be from 1 to 65535`)
    .default(fallback);

// The only module of the console that reads process.env.
const ConsoleEnvironment = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string({
      error: "DATABASE_URL is not set: give the PostgreSQL connection string, e.g. postgresql://user:pass@host/beacon",
    })
    .min(1, "DATABASE_URL is empty: give the PostgreSQL connection string")
    .refine((value) => /^postgres(ql)?:\/\//.test(value), {
      error: "DATABASE_URL must be a postgresql:// connection string",
    }),
  DATABASE_REPLICA_URL: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || /^postgres(ql)?:\/\//.test(value), {
      error: "DATABASE_REPLICA_URL must be a postgresql:// connection string (a read replica of DATABASE_URL)",
    }),
  NEXTAUTH_SECRET: z.string().min(1, "NEXTAUTH_SECRET is empty: set it to a long random string").optional(),
  NEXTAUTH_URL: z.url({ error: "NEXTAUTH_URL must be an absolute URL such as https://acs.example.com" }).optional(),
  // `beacon start` passes the absolute folder; `next dev` runs in apps/console, two levels below the repository.
  BEACON_DATA_DIR: z.string().trim().min(1).default("../../.data"),
  BEACON_FIRMWARE_MAX_BYTES: z.coerce
    .number({ error: "BEACON_FIRMWARE_MAX_BYTES must be a number of bytes" })
    .int("BEACON_FIRMWARE_MAX_BYTES must be a whole number of bytes")
    .positive("BEACON_FIRMWARE_MAX_BYTES must be above 0")
    .default(4 * 1024 ** 3),
  // Connection requests the console sends (the ingress reads the same variables).
  BEACON_CONNECTION_REQUEST_ALLOW: list,
  BEACON_CONNECTION_REQUEST_DENY: list,
  BEACON_CWMP_ALLOW_BASIC: z
    .enum(["true", "false", "1", "0", "yes", "no", ""], { error: "BEACON_CWMP_ALLOW_BASIC must be true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1" || v === "yes"),
  // A cloud PMS's API lives on the internet; an on-premises PMS on a private network must be allowed explicitly.
  BEACON_PMS_API_ALLOW_PRIVATE_NETWORKS: z
    .enum(["true", "false", "1", "0", "yes", "no", ""], {
      error: "BEACON_PMS_API_ALLOW_PRIVATE_NETWORKS must be true or false",
    })
    .default("false")
    .transform((v) => v === "true" || v === "1" || v === "yes"),
  CONSOLE_PORT: port("CONSOLE_PORT", 3000),
  CWMP_PORT: port("CWMP_PORT", 7547),
  BEACON_CWMP_PUBLIC_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/]+/.test(v), "BEACON_CWMP_PUBLIC_URL must be an http:// or https:// URL")
    .optional(),
});

export interface ConsoleConfig {
  production: boolean;
  databaseUrl: string;
  /** A read replica of the database for the console's lists and pages (DATABASE_REPLICA_URL), if any. */
  replicaUrl: string | undefined;
  /** Signs and encrypts session tokens. */
  authSecret: string;
  publicUrl: string | undefined;
  /** Where uploaded files go (<dataDir>/files), shared with the ingress's file server. */
  dataDir: string;
  /** Largest firmware image the console accepts. */
  firmwareMaxBytes: number;
  /** Where connection requests may go, and whether Basic over plain HTTP may answer a CPE's challenge. */
  connectionRequests: { targets: ConnectionRequestTargets; allowBasic: boolean };
  /** Whether reading a reservation from a PMS's API may reach loopback and private addresses. */
  pmsApiAllowPrivateNetworks: boolean;
  /**
   * The ACS URL to put into a CPE or an OLT profile: BEACON_CWMP_PUBLIC_URL, else the console's host name on
   * CWMP_PORT (`{host}` stands for the host the browser used).
   */
  cwmpUrl: string;
}

export class ConsoleConfigInvalid extends Error {}

// Used only outside production so that `next dev` works without ceremony; production refuses to start without one.
const DEVELOPMENT_SECRET = "beacon-console-development-secret-not-for-production";

export function parseConsoleConfig(environment: Record<string, string | undefined>): ConsoleConfig {
  const parsed = ConsoleEnvironment.safeParse(environment);
  if (!parsed.success) {
    const sentences = parsed.error.issues.map((issue) => issue.message);
    throw new ConsoleConfigInvalid(`The console cannot start: ${sentences.join("; ")}.`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === "production";
  if (production && !env.NEXTAUTH_SECRET) {
    throw new ConsoleConfigInvalid(
      "The console cannot start: NEXTAUTH_SECRET is not set; production needs a long random secret to sign sessions.",
    );
  }
  let targets: ConnectionRequestTargets;
  try {
    targets = connectionRequestTargets({
      allow: env.BEACON_CONNECTION_REQUEST_ALLOW,
      deny: env.BEACON_CONNECTION_REQUEST_DENY,
      ownPorts: [env.CONSOLE_PORT, env.CWMP_PORT, databaseUrlPort(env.DATABASE_URL)],
    });
  } catch (error) {
    throw new ConsoleConfigInvalid(`The console cannot start: ${(error as Error).message}.`);
  }
  return {
    production,
    databaseUrl: env.DATABASE_URL,
    replicaUrl: env.DATABASE_REPLICA_URL || undefined,
    authSecret: env.NEXTAUTH_SECRET ?? DEVELOPMENT_SECRET,
    publicUrl: env.NEXTAUTH_URL,
    dataDir: resolve(env.BEACON_DATA_DIR),
    firmwareMaxBytes: env.BEACON_FIRMWARE_MAX_BYTES,
    connectionRequests: { targets, allowBasic: env.BEACON_CWMP_ALLOW_BASIC },
    pmsApiAllowPrivateNetworks: env.BEACON_PMS_API_ALLOW_PRIVATE_NETWORKS,
    cwmpUrl: env.BEACON_CWMP_PUBLIC_URL
      ? `${env.BEACON_CWMP_PUBLIC_URL.replace(/\/+$/, "")}/`
      : `http://{host}:${env.CWMP_PORT}/`,
  };
}

const cache = globalThis as typeof globalThis & { beaconConsoleConfig?: ConsoleConfig };

/**
 * The console's configuration, parsed on first use rather than at import: `next build` imports route modules
 * without the runtime environment. src/instrumentation.ts calls it at server start so a bad variable stops the
 * server at once.
 */
export function consoleConfig(): ConsoleConfig {
  cache.beaconConsoleConfig ??= parseConsoleConfig(process.env);
  return cache.beaconConsoleConfig;
}

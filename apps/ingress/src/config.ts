import { envBool, envDatabaseUrl, envList, envPort } from "@beacon/domain";
import { z } from "zod";

/** The one place that reads ingress settings from the environment. */

/**
 * CWMP sessions one ingress process holds at once by default (BEACON_INGRESS_MAX_SESSIONS); past it, CPEs get
 * 503 + Retry-After. Sized so that a process stays under 300 MB of RSS (see bench/README.md, scenario B).
 */
export const DEFAULT_MAX_SESSIONS = 128;

const positiveInt = (name: string, what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number of ${what}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `${name} must be at least 1`));

const Env = z.object({
  DATABASE_URL: envDatabaseUrl,
  CWMP_PORT: envPort("CWMP_PORT").default(7547),
  CWMP_HOST: z.string().trim().min(1).default("0.0.0.0"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  BEACON_DB_MAX_CONNECTIONS: positiveInt("BEACON_DB_MAX_CONNECTIONS", "connections").default(20),
  BEACON_CWMP_SESSION_TIMEOUT: positiveInt("BEACON_CWMP_SESSION_TIMEOUT", "seconds").default(30),
  BEACON_CWMP_PATHS: envList
    .refine((paths) => paths.every((p) => p.startsWith("/")), "BEACON_CWMP_PATHS must list paths starting with /")
    .default([]),
  BEACON_CWMP_BODY_LIMIT: positiveInt("BEACON_CWMP_BODY_LIMIT", "bytes").default(16 * 1024 * 1024),
  BEACON_CWMP_UPLOAD_LIMIT: positiveInt("BEACON_CWMP_UPLOAD_LIMIT", "bytes").default(64 * 1024 * 1024),
  BEACON_CWMP_ADMISSION: z
    .enum(["open", "bootstrap", "closed"], { error: "BEACON_CWMP_ADMISSION must be open, bootstrap or closed" })
    .default("bootstrap"),
  BEACON_CWMP_BOOTSTRAP_USERNAME: z
    .string()
    .min(1, "BEACON_CWMP_BOOTSTRAP_USERNAME must not be empty")
    .default("beacon"),
  BEACON_CWMP_BOOTSTRAP_PASSWORD: z
    .string()
    .min(1, "BEACON_CWMP_BOOTSTRAP_PASSWORD must not be empty")
    .default("beacon"),
  BEACON_CWMP_ALLOWLIST: envList.default([]),
  BEACON_CWMP_ALLOW_BASIC: envBool("BEACON_CWMP_ALLOW_BASIC").default(false),
  BEACON_CWMP_DIGEST_SHA256: envBool("BEACON_CWMP_DIGEST_SHA256").default(false),
  BEACON_CWMP_READ_NETWORK_MAPS: envBool("BEACON_CWMP_READ_NETWORK_MAPS").default(true),
  BEACON_CWMP_COLLECT_METRICS: envBool("BEACON_CWMP_COLLECT_METRICS").default(true),
  BEACON_CWMP_TLS_CERT: z.string().trim().min(1).optional(),
  BEACON_CWMP_TLS_KEY: z.string().trim().min(1).optional(),
  BEACON_CWMP_PUBLIC_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/]+/.test(v), "BEACON_CWMP_PUBLIC_URL must be an http:// or https:// URL")
    .optional(),
  BEACON_DATA_DIR: z.string().trim().min(1).default(".data"),
  BEACON_CWMP_DRAIN_SECONDS: positiveInt("BEACON_CWMP_DRAIN_SECONDS", "seconds").default(10),
  BEACON_INGRESS_MAX_SESSIONS: positiveInt("BEACON_INGRESS_MAX_SESSIONS", "sessions").default(DEFAULT_MAX_SESSIONS),
});

export type IngressEnv = z.infer<typeof Env>;

export interface IngressConfig {
  databaseUrl: string;
  port: number;
  host: string;
  logLevel: IngressEnv["LOG_LEVEL"];
  dbMaxConnections: number;
  /** At shutdown, how long CWMP sessions under way may take to finish. */
  drainSeconds: number;
  tls?: { certPath: string; keyPath: string };
  cwmp: CwmpSettings;
}

/** What buildApp needs to know about CWMP; tests build this directly. */
export interface CwmpSettings {
  /** Seconds a session may stay idle between two requests. */
  sessionTimeoutSeconds: number;
  /** Paths besides "/" that accept CWMP POSTs. */
  extraPaths: string[];
  bodyLimitBytes: number;
  /** Largest file a CPE may upload (Upload tasks). */
  uploadLimitBytes: number;
  admission: "open" | "bootstrap" | "closed";
  bootstrapUsername: string;
  bootstrapPassword: string;
  /** OUIs or serial numbers allowed to bootstrap; empty = any. */
  allowlist: string[];
  allowBasic: boolean;
  /** Offer Digest SHA-256 besides MD5 (a second WWW-Authenticate header). */
  digestSha256: boolean;
  /** Base URL CPEs use to reach Beacon's file server; derived from the request when unset. */
  publicUrl?: string;
  dataDir: string;
  /**
   * Read a device's WiFi and WAN networks at its first session and after boots and changes (the network map
   * that checkouts and templates rely on). Off only in tests of other protocol flows.
   */
  readNetworkMaps: boolean;
  /**
   * At each Inform, read the metrics of the device's monitoring profile that are older than its interval, in that
   * session (optical levels, WiFi clients, uptime). Off only in tests of other protocol flows.
   */
  collectMetrics: boolean;
  /** Sessions this process holds at once (admitted, not ended); requests that would start more get 503. */
  maxSessions: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws ConfigError with one sentence naming the variable at fault. */
export function loadConfig(env: Record<string, string | undefined>): IngressConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const message = issue.message.includes(name) ? issue.message : `${name} is invalid: ${issue.message}`;
    const given = cleaned[name];
    throw new ConfigError(given === undefined || /PASSWORD|URL/.test(name) ? message : `${message} (got "${given}")`);
  }
  const e = parsed.data;
  if (Boolean(e.BEACON_CWMP_TLS_CERT) !== Boolean(e.BEACON_CWMP_TLS_KEY)) {
    throw new ConfigError(
      `${e.BEACON_CWMP_TLS_CERT ? "BEACON_CWMP_TLS_KEY" : "BEACON_CWMP_TLS_CERT"} must be set too: TLS needs both a certificate and a key`,
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.CWMP_PORT,
    host: e.CWMP_HOST,
    logLevel: e.LOG_LEVEL,
    dbMaxConnections: e.BEACON_DB_MAX_CONNECTIONS,
    drainSeconds: e.BEACON_CWMP_DRAIN_SECONDS,
    tls:
      e.BEACON_CWMP_TLS_CERT && e.BEACON_CWMP_TLS_KEY
        ? { certPath: e.BEACON_CWMP_TLS_CERT, keyPath: e.BEACON_CWMP_TLS_KEY }
        : undefined,
    cwmp: {
      sessionTimeoutSeconds: e.BEACON_CWMP_SESSION_TIMEOUT,
      extraPaths: e.BEACON_CWMP_PATHS.filter((p) => p !== "/"),
      bodyLimitBytes: e.BEACON_CWMP_BODY_LIMIT,
      uploadLimitBytes: e.BEACON_CWMP_UPLOAD_LIMIT,
      admission: e.BEACON_CWMP_ADMISSION,
      bootstrapUsername: e.BEACON_CWMP_BOOTSTRAP_USERNAME,
      bootstrapPassword: e.BEACON_CWMP_BOOTSTRAP_PASSWORD,
      allowlist: e.BEACON_CWMP_ALLOWLIST,
      allowBasic: e.BEACON_CWMP_ALLOW_BASIC,
      digestSha256: e.BEACON_CWMP_DIGEST_SHA256,
      publicUrl: e.BEACON_CWMP_PUBLIC_URL?.replace(/\/+$/, ""),
      dataDir: e.BEACON_DATA_DIR,
      readNetworkMaps: e.BEACON_CWMP_READ_NETWORK_MAPS,
      collectMetrics: e.BEACON_CWMP_COLLECT_METRICS,
      maxSessions: e.BEACON_INGRESS_MAX_SESSIONS,
    },
  };
}

export const defaultCwmpSettings: CwmpSettings = {
  sessionTimeoutSeconds: 30,
  extraPaths: [],
  bodyLimitBytes: 16 * 1024 * 1024,
  uploadLimitBytes: 64 * 1024 * 1024,
  admission: "bootstrap",
  bootstrapUsername: "beacon",
  bootstrapPassword: "beacon",
  allowlist: [],
  allowBasic: false,
  digestSha256: false,
  dataDir: ".data",
  readNetworkMaps: true,
  collectMetrics: true,
  maxSessions: DEFAULT_MAX_SESSIONS,
};

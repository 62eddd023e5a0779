import { envBool, envDatabaseUrl, envList, envPort } from "@beacon/domain";
import { z } from "zod";

/** The one place that reads the USP controller's settings from the environment. */

const Env = z.object({
  DATABASE_URL: envDatabaseUrl,
  USP_WS_PORT: envPort("USP_WS_PORT").default(7550),
  USP_WS_HOST: z.string().trim().min(1).default("0.0.0.0"),
  USP_WS_TLS_CERT: z.string().trim().min(1).optional(),
  USP_WS_TLS_KEY: z.string().trim().min(1).optional(),
  USP_WS_ALLOW_BASIC: envBool("USP_WS_ALLOW_BASIC").default(false),
  USP_ENDPOINT_ID: z
    .string()
    .trim()
    .regex(/^[a-z]+:[^:]*:[\x21-\x7e]+$/, "USP_ENDPOINT_ID must be a USP endpoint id such as proto::beacon")
    .max(64, "USP_ENDPOINT_ID must be at most 64 characters")
    .default("proto::beacon-controller"),
  USP_MQTT_URL: z
    .string()
    .trim()
    .refine((v) => /^mqtts?:\/\/[^/]+/.test(v), "USP_MQTT_URL must be an mqtt:// or mqtts:// URL")
    .optional(),
  USP_MQTT_TOPIC: z.string().trim().min(1).default("usp/controller/beacon"),
  USP_MQTT_USERNAME: z.string().optional(),
  USP_MQTT_PASSWORD: z.string().optional(),
  USP_RECORD_LIMIT: z
    .string()
    .trim()
    .regex(/^\d+$/, "USP_RECORD_LIMIT must be a whole number of bytes")
    .transform(Number)
    .default(4 * 1024 * 1024),
  BEACON_CWMP_ADMISSION: z
    .enum(["open", "bootstrap", "closed"], { error: "BEACON_CWMP_ADMISSION must be open, bootstrap or closed" })
    .default("bootstrap"),
  BEACON_CWMP_BOOTSTRAP_USERNAME: z.string().min(1).default("beacon"),
  BEACON_CWMP_BOOTSTRAP_PASSWORD: z.string().min(1).default("beacon"),
  BEACON_CWMP_ALLOWLIST: envList.default([]),
  // Where agents fetch firmware: the CWMP ingress's file server (/files/...), as CPEs do.
  CWMP_PORT: envPort("CWMP_PORT").default(7547),
  BEACON_CWMP_PUBLIC_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/]+/.test(v), "BEACON_CWMP_PUBLIC_URL must be an http:// or https:// URL")
    .optional(),
  BEACON_CWMP_TLS_CERT: z.string().trim().min(1).optional(),
  BEACON_DB_MAX_CONNECTIONS: z.string().trim().regex(/^\d+$/).transform(Number).default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** What buildUspApp needs; tests build this directly. */
export interface UspSettings {
  endpointId: string;
  /** Admission of agents: the same policy, shared credential and allow-list as CWMP. */
  admission: "open" | "bootstrap" | "closed";
  bootstrapUsername: string;
  bootstrapPassword: string;
  allowlist: string[];
  /** Accept HTTP Basic credentials on a WebSocket without TLS (off: credentials only over wss://). */
  allowBasicWithoutTls: boolean;
  recordLimitBytes: number;
  mqtt?: { url: string; topic: string; username?: string; password?: string };
  /** Milliseconds between two looks for tasks of reachable agents. */
  pollMs: number;
  /**
   * Beacon's file server (the CWMP ingress) for firmware downloads: its public URL when set, otherwise the host a
   * WebSocket agent connected to, on the CWMP port. MQTT agents need the public URL.
   */
  fileServer?: { publicUrl?: string; port: number; tls: boolean };
}

export interface UspConfig {
  databaseUrl: string;
  port: number;
  host: string;
  tls?: { certPath: string; keyPath: string };
  dbMaxConnections: number;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
  usp: UspSettings;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: Record<string, string | undefined>): UspConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(issue.message.includes(name) ? issue.message : `${name} is invalid: ${issue.message}`);
  }
  const e = parsed.data;
  if (Boolean(e.USP_WS_TLS_CERT) !== Boolean(e.USP_WS_TLS_KEY)) {
    throw new ConfigError(
      `${e.USP_WS_TLS_CERT ? "USP_WS_TLS_KEY" : "USP_WS_TLS_CERT"} must be set too: TLS needs both a certificate and a key`,
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.USP_WS_PORT,
    host: e.USP_WS_HOST,
    tls: e.USP_WS_TLS_CERT && e.USP_WS_TLS_KEY ? { certPath: e.USP_WS_TLS_CERT, keyPath: e.USP_WS_TLS_KEY } : undefined,
    dbMaxConnections: e.BEACON_DB_MAX_CONNECTIONS,
    logLevel: e.LOG_LEVEL,
    usp: {
      endpointId: e.USP_ENDPOINT_ID,
      admission: e.BEACON_CWMP_ADMISSION,
      bootstrapUsername: e.BEACON_CWMP_BOOTSTRAP_USERNAME,
      bootstrapPassword: e.BEACON_CWMP_BOOTSTRAP_PASSWORD,
      allowlist: e.BEACON_CWMP_ALLOWLIST,
      allowBasicWithoutTls: e.USP_WS_ALLOW_BASIC,
      recordLimitBytes: e.USP_RECORD_LIMIT,
      mqtt: e.USP_MQTT_URL
        ? { url: e.USP_MQTT_URL, topic: e.USP_MQTT_TOPIC, username: e.USP_MQTT_USERNAME, password: e.USP_MQTT_PASSWORD }
        : undefined,
      pollMs: 1000,
      fileServer: {
        publicUrl: e.BEACON_CWMP_PUBLIC_URL?.replace(/\/+$/, ""),
        port: e.CWMP_PORT,
        tls: Boolean(e.BEACON_CWMP_TLS_CERT),
      },
    },
  };
}

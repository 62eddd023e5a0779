import { resolve } from "node:path";
import { type ConnectionRequestTargets, connectionRequestTargets, databaseUrlPort } from "@beacon/domain";
import { z } from "zod";

/** Thrown for configuration a person must fix; printed as one line, never a stack trace. */
export class ConfigProblem extends Error {}

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      const n = Number(value);
      if (!/^\d+$/.test(value.trim()) || n < 1 || n > 65535) {
        ctx.addIssue({ code: "custom", message: `${name} must be a port number from 1 to 65535, not "${value}"` });
        return z.NEVER;
      }
      return n;
    });

const count = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number above 0, not "${value}"` });
        return z.NEVER;
      }
      return Number(value);
    });
const seconds = count;

const databaseUrl = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === "") return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "DATABASE_URL is not a URL; expected postgresql://user:password@host:5432/database",
      });
      return z.NEVER;
    }
    if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
      ctx.addIssue({ code: "custom", message: `DATABASE_URL must start with postgresql://, not ${url.protocol}//` });
      return z.NEVER;
    }
    if (!url.hostname) {
      ctx.addIssue({
        code: "custom",
        message: "DATABASE_URL has no host; expected postgresql://user:password@host:5432/database",
      });
      return z.NEVER;
    }
    return value;
  });

const Environment = z.object({
  DATABASE_URL: databaseUrl,
  BEACON_DATA_DIR: z.string().optional().default(".data"),
  CONSOLE_PORT: port("CONSOLE_PORT", 3000),
  CWMP_PORT: port("CWMP_PORT", 7547),
  /** The USP controller's WebSocket port (apps/usp reads the rest of its USP_* settings itself). */
  USP_WS_PORT: port("USP_WS_PORT", 7550),
  BEACON_ADMIN_EMAIL: z.email({ message: "BEACON_ADMIN_EMAIL must be an email address" }).optional(),
  BEACON_ADMIN_PASSWORD: z.string().min(10, "BEACON_ADMIN_PASSWORD needs at least 10 characters").optional(),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET needs at least 16 characters").optional(),
  NEXTAUTH_URL: z.url({ message: "NEXTAUTH_URL must be a URL such as https://acs.example.com" }).optional(),
  BEACON_CWMP_BOOTSTRAP_USERNAME: z.string().min(1).optional(),
  BEACON_CWMP_BOOTSTRAP_PASSWORD: z.string().min(1).optional(),
  BEACON_CAMPAIGN_INTERVAL: seconds("BEACON_CAMPAIGN_INTERVAL", 30),
  BEACON_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z
    .enum(["true", "false", "1", "0", "yes", "no"], {
      message: "BEACON_WEBHOOKS_ALLOW_PRIVATE_NETWORKS must be true or false",
    })
    .optional()
    .transform((value) => value === "true" || value === "1" || value === "yes"),
  BEACON_RESTART_LIMIT: count("BEACON_RESTART_LIMIT", 5),
  BEACON_CWMP_ALLOW_BASIC: z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: "BEACON_CWMP_ALLOW_BASIC must be true or false" })
    .optional()
    .transform((value) => value === "true" || value === "1" || value === "yes"),
  BEACON_CONNECTION_REQUEST_ALLOW: z.string().optional(),
  BEACON_CONNECTION_REQUEST_DENY: z.string().optional(),
});

export type BeaconConfig = {
  databaseUrl?: string;
  dataDir: string;
  consolePort: number;
  cwmpPort: number;
  uspPort: number;
  adminEmail?: string;
  adminPassword?: string;
  nextAuthSecret?: string;
  nextAuthUrl?: string;
  cwmpBootstrapUsername?: string;
  cwmpBootstrapPassword?: string;
  /** `beacon worker`: seconds between two rounds of the firmware-campaign scheduler. */
  campaignIntervalSeconds: number;
  /** `beacon worker`: let webhooks deliver to private and loopback addresses. */
  webhooksAllowPrivateNetworks: boolean;
  /** `beacon start`: restarts of one child within ten minutes before Beacon gives up and stops. */
  restartLimit: number;
  /** `beacon worker`: connection requests the campaign scheduler sends: where they may go, and Basic over HTTP. */
  connectionRequests: { targets: ConnectionRequestTargets; allowBasic: boolean };
};

const listOf = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** The CLI's one reader of process.env. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): BeaconConfig {
  const blankToUndefined = Object.fromEntries(
    Object.keys(Environment.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = Environment.safeParse(blankToUndefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigProblem(issue?.message ?? "invalid configuration");
  }
  const e = parsed.data;
  let targets: ConnectionRequestTargets;
  try {
    targets = connectionRequestTargets({
      allow: listOf(e.BEACON_CONNECTION_REQUEST_ALLOW),
      deny: listOf(e.BEACON_CONNECTION_REQUEST_DENY),
      ownPorts: [
        e.CWMP_PORT,
        e.CONSOLE_PORT,
        e.USP_WS_PORT,
        ...(e.DATABASE_URL ? [databaseUrlPort(e.DATABASE_URL)] : []),
      ],
    });
  } catch (error) {
    throw new ConfigProblem((error as Error).message);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(cwd, e.BEACON_DATA_DIR),
    consolePort: e.CONSOLE_PORT,
    cwmpPort: e.CWMP_PORT,
    uspPort: e.USP_WS_PORT,
    adminEmail: e.BEACON_ADMIN_EMAIL,
    adminPassword: e.BEACON_ADMIN_PASSWORD,
    nextAuthSecret: e.NEXTAUTH_SECRET,
    nextAuthUrl: e.NEXTAUTH_URL,
    cwmpBootstrapUsername: e.BEACON_CWMP_BOOTSTRAP_USERNAME,
    cwmpBootstrapPassword: e.BEACON_CWMP_BOOTSTRAP_PASSWORD,
    campaignIntervalSeconds: e.BEACON_CAMPAIGN_INTERVAL,
    webhooksAllowPrivateNetworks: e.BEACON_WEBHOOKS_ALLOW_PRIVATE_NETWORKS,
    restartLimit: e.BEACON_RESTART_LIMIT,
    connectionRequests: { targets, allowBasic: e.BEACON_CWMP_ALLOW_BASIC },
  };
}

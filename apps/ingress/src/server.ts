import { readFileSync } from "node:fs";
import { checkDatabase, createDb } from "@beacon/db";
import { buildApp } from "./app.ts";
import { ConfigError, type IngressConfig, loadConfig } from "./config.ts";

/** Start-up problems end with one line and a non-zero exit, never a stack trace. */
class StartupError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // A database that is away (restarting, recovering) is no reason not to start: CPEs get 503 until it answers.
  const database = await checkDatabase(config.databaseUrl);
  if (!database.ok) {
    process.stderr.write(
      `beacon-ingress: the database does not answer yet (${database.error}); CPEs get 503 until it does\n`,
    );
  }

  const db = createDb(config.databaseUrl, {
    maxConnections: config.dbMaxConnections,
    applicationName: "beacon-ingress",
  });
  const app = await buildApp({
    db,
    cwmp: config.cwmp,
    https: readTls(config),
    logger: { level: config.logLevel },
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    try {
      await drainSessions(app, config.drainSeconds * 1000);
      await app.close();
      await db.$disconnect();
    } finally {
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close().catch(() => {});
    await db.$disconnect().catch(() => {});
    throw listenError(error, config);
  }
  if (config.cwmp.admission === "open") {
    app.log.warn("BEACON_CWMP_ADMISSION=open: any CPE may register without credentials");
  } else if (config.cwmp.bootstrapPassword === "beacon") {
    app.log.warn(
      "the CWMP bootstrap credential is the default beacon/beacon; set BEACON_CWMP_BOOTSTRAP_USERNAME and BEACON_CWMP_BOOTSTRAP_PASSWORD",
    );
  }
}

/**
 * Lets the CWMP sessions under way finish, for at most `limitMs`: new sessions get 503 + Retry-After meanwhile,
 * and each connection is closed as its session ends. What is still open after the limit is cut; its CPE retries.
 */
async function drainSessions(app: Awaited<ReturnType<typeof buildApp>>, limitMs: number): Promise<void> {
  app.cwmpDrain.draining = true;
  const deadline = Date.now() + limitMs;
  while (app.cwmpDrain.sessions.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (app.cwmpDrain.sessions.size > 0) {
    app.log.warn({ sessions: app.cwmpDrain.sessions.size }, "CWMP sessions still open at shutdown were cut");
  }
}

function readTls(config: IngressConfig): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tls) return undefined;
  const read = (path: string, variable: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new StartupError(`cannot read ${path} (${variable}): ${(error as Error).message}`);
    }
  };
  return {
    cert: read(config.tls.certPath, "BEACON_CWMP_TLS_CERT"),
    key: read(config.tls.keyPath, "BEACON_CWMP_TLS_KEY"),
  };
}

function listenError(error: unknown, config: IngressConfig): StartupError {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE") {
    return new StartupError(
      `port ${config.port} is in use (CWMP_PORT): stop the other process or choose another port with CWMP_PORT`,
    );
  }
  if (code === "EACCES") {
    return new StartupError(`port ${config.port} needs more privileges (CWMP_PORT): choose a port above 1023`);
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new StartupError(`cannot listen on ${config.host} (CWMP_HOST): no such local address`);
  }
  return new StartupError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof StartupError
      ? error.message
      : `${(error as Error)?.message ?? error}`;
  process.stderr.write(`beacon-ingress: ${message}\n`);
  process.exit(1);
});

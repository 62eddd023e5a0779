import { readFileSync } from "node:fs";
import { checkDatabase, createDb } from "@beacon/db";
import {
  runCampaignScheduler,
  runMonitoringScheduler,
  runWebhookDispatcher,
  type SchedulerHandle,
} from "@beacon/domain";
import { buildApp } from "./app.ts";
import { ConfigError, type IngressConfig, loadConfig } from "./config.ts";

/** Start-up problems end with one line and a non-zero exit, never a stack trace. */
class StartupError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await checkDatabase(config.databaseUrl);
  if (!database.ok) throw new StartupError(`cannot reach the database (DATABASE_URL): ${database.error}`);

  const db = createDb(config.databaseUrl, {
    maxConnections: config.dbMaxConnections,
    applicationName: "beacon-ingress",
  });
  const app = await buildApp({
    db,
    databaseUrl: config.databaseUrl,
    cwmp: config.cwmp,
    https: readTls(config),
    logger: { level: config.logLevel },
  });
  const schedulers: Pick<SchedulerHandle, "stop">[] = [];
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    try {
      await Promise.all(schedulers.map((s) => s.stop()));
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
  if (config.schedulers) {
    schedulers.push(
      runCampaignScheduler(db, {
        intervalMs: config.campaignIntervalSeconds * 1000,
        connectionRequests: {
          ...config.connectionRequests,
          log: (entry) => app.log.info(entry, `connection request: ${entry.outcome}`),
        },
        onError: (error) => app.log.warn({ err: error }, "firmware campaign round failed"),
      }),
      runMonitoringScheduler(db, { onError: (error) => app.log.warn({ err: error }, "monitoring round failed") }),
      runWebhookDispatcher(db, {
        allowPrivateNetworks: config.webhooksAllowPrivateNetworks,
        onError: (error) => app.log.warn({ err: error }, "webhook delivery round failed"),
      }),
    );
  }
  if (config.cwmp.admission === "open") {
    app.log.warn("BEACON_CWMP_ADMISSION=open: any CPE may register without credentials");
  } else if (config.cwmp.bootstrapPassword === "beacon") {
    app.log.warn(
      "the CWMP bootstrap credential is the default beacon/beacon; set BEACON_CWMP_BOOTSTRAP_USERNAME and BEACON_CWMP_BOOTSTRAP_PASSWORD",
    );
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

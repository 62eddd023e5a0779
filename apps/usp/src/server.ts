import { readFileSync } from "node:fs";
import { checkDatabase, createDb } from "@beacon/db";
import { buildUspApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./log.ts";

/** Start-up problems end with one line and a non-zero exit, never a stack trace. */
class StartupError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await checkDatabase(config.databaseUrl);
  if (!database.ok) throw new StartupError(`cannot reach the database (DATABASE_URL): ${database.error}`);
  const db = createDb(config.databaseUrl, { maxConnections: config.dbMaxConnections, applicationName: "beacon-usp" });
  const https = config.tls
    ? { cert: read(config.tls.certPath, "USP_WS_TLS_CERT"), key: read(config.tls.keyPath, "USP_WS_TLS_KEY") }
    : undefined;
  const app = buildUspApp({ db, settings: config.usp, log, https });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info("shutting down", { signal });
    try {
      await app.close();
      await db.$disconnect();
    } finally {
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  await new Promise<void>((resolve, reject) => {
    app.server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          error.code === "EADDRINUSE"
            ? `USP_WS_PORT ${config.port} is in use by another program; choose another port`
            : `cannot listen on ${config.host}:${config.port}: ${error.message}`,
        ),
      ),
    );
    app.server.listen(config.port, config.host, () => resolve());
  });
  try {
    await app.start();
  } catch (error) {
    throw new StartupError(`cannot connect to the MQTT broker (USP_MQTT_URL): ${(error as Error).message}`);
  }
  log.info("USP controller listening", {
    websocket: `${https ? "wss" : "ws"}://${config.host}:${config.port}/`,
    endpointId: config.usp.endpointId,
    mqtt: config.usp.mqtt ? config.usp.mqtt.topic : null,
  });
  if (!https && !config.usp.allowBasicWithoutTls && config.usp.admission !== "open") {
    log.warn(
      "USP agents can authenticate only over TLS: set USP_WS_TLS_CERT/USP_WS_TLS_KEY, or USP_WS_ALLOW_BASIC=true on a trusted network",
    );
  }
}

function read(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new StartupError(`${variable}: cannot read ${path}: ${(error as Error).message}`);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof StartupError;
  process.stderr.write(
    `beacon usp: ${known ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`,
  );
  process.exit(1);
});

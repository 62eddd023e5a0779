import type { Db } from "@beacon/db";
import { createSessionHooks, ensurePlatformTenant } from "@beacon/domain";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { type CwmpSettings, defaultCwmpSettings } from "./config.ts";
import { createCpeAuthenticator } from "./cwmp/cpe-authenticator.ts";
import { answerFailure } from "./cwmp/outage-reply.ts";
import { answerExpectContinue } from "./cwmp/request-body.ts";
import { SessionGate } from "./cwmp/session-gate.ts";
import { type CwmpDrain, cwmpRoutes } from "./routes/cwmp.ts";
import { fileRoutes } from "./routes/files.ts";
import { healthRoutes } from "./routes/healthz.ts";

export interface AppDeps {
  db: Db;
  cwmp?: Partial<CwmpSettings>;
  /** PEM certificate and key: serve HTTPS (BEACON_CWMP_TLS_CERT / BEACON_CWMP_TLS_KEY). */
  https?: { cert: Buffer; key: Buffer };
  logger?: FastifyServerOptions["logger"];
  clock?: () => Date;
}

declare module "fastify" {
  interface FastifyInstance {
    /** CWMP sessions under way; server.ts lets them finish before closing. */
    cwmpDrain: CwmpDrain;
    /** Sessions this process holds, bounded by BEACON_INGRESS_MAX_SESSIONS. */
    cwmpGate: SessionGate;
  }
}

/**
 * The ingress as a configured Fastify instance: plugins and routes, never listening. It only serves CPEs:
 * schedulers and housekeeping run in `beacon worker`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const settings: CwmpSettings = { ...defaultCwmpSettings, ...deps.cwmp };
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger ?? false,
    // Thousands of CPE requests a second: per-request logs would cost more than the requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: settings.bodyLimitBytes,
    // A CPE keeps one connection for the whole session, with pauses while it works on a request.
    keepAliveTimeout: settings.sessionTimeoutSeconds * 1000,
    trustProxy: false,
    ...(deps.https ? { https: { cert: deps.https.cert, key: deps.https.key } } : {}),
  });

  let platformTenant: Promise<string> | undefined;
  const tenantIdForNewDevices = () => {
    platformTenant ??= ensurePlatformTenant(deps.db).then(
      (t) => t.id,
      (error: unknown) => {
        platformTenant = undefined;
        throw error;
      },
    );
    return platformTenant;
  };

  const drain: CwmpDrain = { draining: false, sessions: new Set() };
  app.decorate("cwmpDrain", drain);
  const gate = new SessionGate(settings.maxSessions, settings.sessionTimeoutSeconds * 1000);
  app.decorate("cwmpGate", gate);
  app.setErrorHandler(answerFailure);
  answerExpectContinue(app, (url) =>
    url.startsWith("/uploads/") ? settings.uploadLimitBytes : settings.bodyLimitBytes,
  );
  healthRoutes(app, { db: deps.db });
  const hooks = createSessionHooks(deps.db, {
    readNetworkMaps: settings.readNetworkMaps,
    collectMetrics: settings.collectMetrics,
    onError: (what, error) => app.log.warn({ err: error }, `CWMP session hook (${what}) failed`),
  });
  await app.register(cwmpRoutes, {
    db: deps.db,
    settings,
    authenticator: createCpeAuthenticator(deps.db, settings, clock),
    clock,
    tenantIdForNewDevices,
    hooks,
    drain,
    gate,
  });

  await app.register(fileRoutes, {
    db: deps.db,
    dataDir: settings.dataDir,
    uploadLimitBytes: settings.uploadLimitBytes,
    clock,
  });

  app.addHook("onClose", () => hooks.drain());

  return app;
}

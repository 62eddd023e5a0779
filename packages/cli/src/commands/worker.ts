import { createDb, type Db, databaseAnswers, isDatabaseUnavailable, isDatabaseWriteFailure } from "@beacon/db";
import {
  endExpiredSessions,
  pruneContactHistory,
  purgeExpiredNonces,
  purgeStaleSignInLimits,
  runCampaignScheduler,
  runFiasLinks,
  runMonitoringScheduler,
  runWebhookDispatcher,
  wakeDevice,
} from "@beacon/domain";
import type { BeaconConfig } from "../config.ts";
import { ConfigProblem } from "../config.ts";
import { runningEmbeddedUrl } from "../database.ts";

const HOUSEKEEPING_INTERVAL_MS = 60_000;
const OUTAGE_PROBE_MS = 2_000;

const log = (line: string) => process.stdout.write(`beacon-worker: ${line}\n`);

/**
 * `beacon worker`: the background work of Beacon, in a process of its own so that the CWMP ingress only serves
 * CPEs: firmware campaigns, monitoring and alarms, webhook deliveries, hotels' FIAS links to their PMS, and
 * housekeeping (expired nonces and sessions, old contact history). Each of them is safe to run in several processes
 * at once (a FIAS link is held by one worker at a time, under a lease). It rides out a
 * database outage: rounds fail, one line says so, the pool reconnects when the database is back.
 */
export async function worker(config: BeaconConfig): Promise<number> {
  const url = config.databaseUrl ?? runningEmbeddedUrl(config.dataDir);
  if (!url) {
    throw new ConfigProblem(
      `no database: set DATABASE_URL, or run \`beacon worker\` beside a running \`beacon start\` on ${config.dataDir}`,
    );
  }
  const db = createDb(url, { maxConnections: 5, applicationName: "beacon-worker" });
  const outage = outageLog(db);
  const onError = (what: string) => (error: unknown) => outage.report(what, error);

  const schedulers = [
    runCampaignScheduler(db, {
      intervalMs: config.campaignIntervalSeconds * 1000,
      connectionRequests: {
        ...config.connectionRequests,
        log: (entry) => log(`connection request: ${entry.outcome} ${JSON.stringify(entry)}`),
      },
      onError: onError("firmware campaign round"),
    }),
    runMonitoringScheduler(db, { onError: onError("monitoring round") }),
    runWebhookDispatcher(db, {
      allowPrivateNetworks: config.webhooksAllowPrivateNetworks,
      onError: onError("webhook delivery round"),
    }),
  ];
  const fiasLinks = runFiasLinks(db, {
    wake: (deviceId, taskId) => wakeDevice(db, deviceId, { taskId, settings: config.connectionRequests }),
    log,
    onError: onError("PMS link"),
  });
  // Not needed for correctness (expiry is checked on every request); keeps the tables small and the console true.
  const housekeeping = setInterval(() => {
    const now = new Date();
    Promise.all([
      purgeExpiredNonces(db, now),
      endExpiredSessions(db, now),
      pruneContactHistory(db, now),
      purgeStaleSignInLimits(db, now),
    ]).catch(onError("housekeeping"));
  }, HOUSEKEEPING_INTERVAL_MS);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(housekeeping);
    outage.stop();
    await Promise.all([...schedulers.map((s) => s.stop()), fiasLinks.stop()]);
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
  log("running (firmware campaigns, monitoring and alarms, webhooks, PMS links, housekeeping)");
  return new Promise<number>(() => {});
}

/**
 * One line when the database goes away and one when it answers again, instead of a warning per failed round; an
 * alarm line when it answers but cannot write (disk full, read-only file system). Other errors are logged as they
 * come.
 */
function outageLog(db: Db) {
  let down = false;
  let cannotWrite = false;
  let probe: NodeJS.Timeout | undefined;
  const watchForRecovery = () => {
    probe ??= setInterval(async () => {
      if (!(await databaseAnswers(db))) return;
      clearInterval(probe);
      probe = undefined;
      down = false;
      log("the database answers again; background work resumes");
    }, OUTAGE_PROBE_MS);
  };
  return {
    report(what: string, error: unknown) {
      if (isDatabaseWriteFailure(error)) {
        if (!cannotWrite) {
          cannotWrite = true;
          log(`ALARM: the database cannot write (disk full or read-only); ${what} failed: ${(error as Error).message}`);
        }
        return;
      }
      if (isDatabaseUnavailable(error)) {
        if (!down) {
          down = true;
          log(`the database is unavailable (${what} failed); retrying until it answers`);
          watchForRecovery();
        }
        return;
      }
      cannotWrite = false;
      log(`${what} failed: ${(error as Error)?.stack ?? error}`);
    },
    stop() {
      clearInterval(probe);
    },
  };
}

import { seedRegisteredDevices } from "../seed.ts";
import type { BenchContext } from "./context.ts";

/**
 * Before anything is measured: a few seconds of periodic sessions against the ingress and the baseline, so
 * that JIT compilation, the database pools and PostgreSQL's caches are warm, as in a server that has been up
 * for a while. Uses devices of its own (prefix W), which no scenario counts.
 */

const PREFIX = "W";
const DEVICES = 500;

export async function warmUp(context: BenchContext): Promise<void> {
  const { driver, plan } = context;
  await seedRegisteredDevices(context.pg.client, {
    prefix: PREFIX,
    first: 0,
    count: DEVICES,
    tenantIds: context.tenants.customers,
    connectionRequestBaseUrl: driver.connectionRequestBaseUrl,
  });
  const seconds = plan.mode === "quick" ? 1 : 5;
  context.progress(`warming up the ingress and the baseline for ${seconds} s each`);
  for (const target of [context.ingress.url, context.baseline.url]) {
    await driver.run({
      kind: "sessions",
      target,
      population: { prefix: PREFIX, count: DEVICES },
      load: { kind: "closed", concurrency: Math.min(plan.concurrency, 32), seconds },
    });
  }
}

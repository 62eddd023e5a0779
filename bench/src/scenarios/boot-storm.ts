import type { BootStormRun, RotationCheck } from "../driver/jobs.ts";
import type { Usage } from "../processes/resources.ts";
import { type BenchContext, type CpuCost, cpuCost, type Measured, measure, perUnit } from "./context.ts";

/**
 * Scenario A, boot storm: N devices Beacon has never seen inform at once (the driver keeps `concurrency` of
 * them in flight) with the shared bootstrap credential; each is admitted, registered and given credentials
 * of its own in its first session. Measures the seconds until every one holds its own credentials; then,
 * outside the measurement, a sample informs again to show the rotation took.
 */

export interface BootStormResult extends Omit<BootStormRun, "rotated"> {
  concurrency: number;
  /** Devices of the storm that Beacon's database holds with credentials of their own afterwards. */
  rotatedInDatabase: number;
  rotation: RotationCheck;
  usage: Usage;
  cpuMsPerDevice: CpuCost;
  database: Measured<unknown>["database"] & { statementsPerDevice: number };
}

const PREFIX = "A";

export async function runBootStorm(context: BenchContext): Promise<BootStormResult> {
  const { plan, driver } = context;
  const devices = plan.bootStorm.devices;
  context.progress(`A boot storm: ${devices} new devices, ${plan.concurrency} in flight`);
  const measured = await measure(context, () =>
    driver.run({
      kind: "bootStorm",
      target: context.ingress.url,
      population: { prefix: PREFIX, count: devices },
      concurrency: plan.concurrency,
      sample: plan.mode === "quick" ? 10 : 50,
    }),
  );
  const { rotated, ...run } = measured.result;
  const { rows } = await context.pg.client.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "Device" WHERE "serialNumber" LIKE $1 || '%' AND "cwmpUsername" IS NOT NULL`,
    [PREFIX],
  );
  const rotation = await driver.run({
    kind: "verifyRotation",
    target: context.ingress.url,
    prefix: PREFIX,
    devices: rotated,
  });
  return {
    ...run,
    concurrency: plan.concurrency,
    rotatedInDatabase: Number(rows[0]?.n ?? 0),
    rotation,
    usage: measured.usage,
    cpuMsPerDevice: cpuCost(measured.usage, devices),
    database: { ...measured.database, statementsPerDevice: perUnit(measured.database.statements, devices) },
  };
}

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { createTask } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCpe } from "./helpers/test-cpe.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

const DEVICES = 12;
const PARAMETER = "InternetGatewayDevice.DeviceInfo.ProvisioningCode";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** CPU ticks a process has used (utime + stime of /proc/<pid>/stat). */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Two ingress processes sharing the CWMP port and a worker, as `beacon start --only ingress,worker` runs them
 * against one PostgreSQL (DATABASE_URL): CPEs reach either process, each task runs once.
 */
describe("two ingress processes and a worker on one PostgreSQL", { timeout: 240_000 }, () => {
  let database: TestDatabase;
  let dataDir: string;
  let child: ChildProcess;
  let output = "";
  let url: string;
  let ingressPids: number[];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), "beacon-scale-out-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [join(repoRoot, "bin", "beacon.mjs"), "start", "--only", "ingress,worker"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        BEACON_DATA_DIR: dataDir,
        CWMP_PORT: String(port),
        CONSOLE_PORT: String(await freePort()),
        USP_WS_PORT: String(await freePort()),
        BEACON_INGRESS_PROCESSES: "2",
        BEACON_CWMP_ADMISSION: "open",
        BEACON_CWMP_READ_NETWORK_MAPS: "false",
        BEACON_CWMP_COLLECT_METRICS: "false",
        BEACON_DB_MAX_CONNECTIONS: "4",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 120_000;
    while (!output.includes("Beacon is running")) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`beacon start did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const status = JSON.parse(await readFile(join(dataDir, "run", "status.json"), "utf8")) as {
      children: { key: string; pid: number }[];
    };
    expect(status.children.map((c) => c.key)).toEqual(["ingress-1", "ingress-2", "worker"]);
    ingressPids = status.children.filter((c) => c.key.startsWith("ingress")).map((c) => c.pid);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("spreads sessions over both processes and runs each task once, even when a device calls twice at once", async () => {
    const serials = Array.from({ length: DEVICES }, (_, k) => `SCALE-${k}`);
    // Registration: each device's first session, all at once, each on a connection of its own.
    await Promise.all(
      serials.map(async (serialNumber) => {
        const cpe = new TestCpe(url, { serialNumber });
        expect((await cpe.inform()).status).toBe(200);
        expect((await cpe.send({ type: "Empty" })).status).toBe(204);
        cpe.close();
      }),
    );
    const devices = await database.db.device.findMany({ where: { serialNumber: { in: serials } } });
    expect(devices).toHaveLength(DEVICES);
    const tasks = await Promise.all(
      devices.map((device) =>
        createTask(
          database.db,
          {
            deviceId: device.id,
            kind: "setParameterValues",
            args: { values: [{ name: PARAMETER, value: `code-${device.serialNumber}` }] },
          },
          { label: "test" },
        ),
      ),
    );

    const ticksBefore = await Promise.all(ingressPids.map(cpuTicks));
    const received = new Map<string, number>();
    // Each device opens two sessions at the same moment on two connections (likely two processes): one is
    // admitted and gets the task, the other is told to retry; then one more session, which must get nothing.
    await Promise.all(
      serials.map(async (serialNumber) => {
        const twins = [new TestCpe(url, { serialNumber }), new TestCpe(url, { serialNumber })];
        const informs = await Promise.all(twins.map((cpe) => cpe.inform(["2 PERIODIC"])));
        expect(informs.map((r) => r.status).sort()).toEqual([200, 503]);
        const admitted = twins[informs.findIndex((r) => r.status === 200)] as TestCpe;
        let step = await admitted.send({ type: "Empty" });
        while (step.status === 200 && step.message) {
          expect(step.message.type).toBe("SetParameterValues");
          received.set(serialNumber, (received.get(serialNumber) ?? 0) + 1);
          step = await admitted.answer(step, { type: "SetParameterValuesResponse", status: 0 });
        }
        expect(step.status).toBe(204);
        const again = new TestCpe(url, { serialNumber });
        expect((await again.inform(["2 PERIODIC"])).status).toBe(200);
        expect((await again.send({ type: "Empty" })).status).toBe(204);
        for (const cpe of [...twins, again]) cpe.close();
      }),
    );
    const ticksAfter = await Promise.all(ingressPids.map(cpuTicks));

    expect([...received.values()]).toEqual(Array(DEVICES).fill(1));
    const states = await database.db.task.findMany({ where: { id: { in: tasks.map((t) => t.id) } } });
    expect(states.map((t) => t.state)).toEqual(Array(DEVICES).fill("done"));
    // Both processes served: each spent CPU on the sessions (the cluster hands connections round-robin).
    ticksAfter.forEach((after, k) => {
      expect(after - (ticksBefore[k] as number), `ingress ${k + 1} did no work`).toBeGreaterThan(0);
    });
    expect(output).not.toMatch(/exited|killed|restarting/);
  });
});

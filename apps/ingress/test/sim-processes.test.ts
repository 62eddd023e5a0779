import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { createTask, ensurePlatformTenant, preregisterDevice } from "@beacon/domain";
import type { SimulatedDevice } from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressProcess, startIngressProcess } from "./helpers/ingress-process.ts";
import { type RequestForwarder, startRequestForwarder } from "./helpers/request-forwarder.ts";
import { BOOTSTRAP, deviceIdOf, eventually, IGD, simulatedOnu } from "./helpers/sim-device.ts";

const actor = { label: "test" };
const SSID = `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`;
const PORT_MAPPING = `${IGD}.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.PortMapping.`;
/** Short, so that the session of a killed process frees its device soon; the processes are warmed up first. */
const SESSION_TIMEOUT_SECONDS = 6;

/** Any ingress process serves any request of a session: its state is in the database, not in the process. */
describe("ingress processes sharing one database", () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;
  const processes: IngressProcess[] = [];
  const forwarders: RequestForwarder[] = [];
  const devices: SimulatedDevice[] = [];

  async function startProcess(extraEnv: Record<string, string> = {}): Promise<IngressProcess> {
    const started = await startIngressProcess({ ...env, ...extraEnv });
    processes.push(started);
    return started;
  }

  /** A process's first Inform loads what it loads lazily; under load that can take longer than a short session timeout. */
  async function warmUp(target: IngressProcess): Promise<void> {
    const device = simulatedOnu(target.url);
    const session = await device.inform();
    await device.close();
    expect(session.outcome, session.error).toBe("completed");
  }

  async function forwarder(route: (index: number) => string): Promise<RequestForwarder> {
    const started = await startRequestForwarder(route);
    forwarders.push(started);
    return started;
  }

  let a: IngressProcess;
  let b: IngressProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "beacon-sim-processes-"));
    env = {
      DATABASE_URL: database.url,
      BEACON_CWMP_BOOTSTRAP_USERNAME: BOOTSTRAP.username,
      BEACON_CWMP_BOOTSTRAP_PASSWORD: BOOTSTRAP.password,
      BEACON_CWMP_SESSION_TIMEOUT: String(SESSION_TIMEOUT_SECONDS),
      BEACON_DB_MAX_CONNECTIONS: "4",
      BEACON_DATA_DIR: dataDir,
    };
    [a, b] = await Promise.all([startProcess(), startProcess()]);
    await Promise.all([warmUp(a), warmUp(b)]);
  }, 120_000);
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.close()));
  });
  afterAll(async () => {
    await Promise.all(forwarders.map((f) => f.close()));
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves one session's requests alternately from two processes and drains its tasks across both", async () => {
    const targets = [a.url, b.url];
    const proxy = await forwarder((n) => targets[n % 2]!);
    const device = simulatedOnu(proxy.url);
    devices.push(device);

    // Bootstrap crosses processes too: the Digest nonce one issues, the other checks.
    const bootstrap = await device.inform();
    expect(bootstrap.outcome, bootstrap.error).toBe("completed");
    // Its own credentials, then the one read of PeriodicInformInterval, which its Inform does not carry.
    expect(bootstrap.rpcs).toEqual(["SetParameterValues", "GetParameterValues"]);
    const deviceId = await deviceIdOf(database.db, device);
    const tasks = [];
    for (const [kind, args] of [
      ["getParameterValues", { names: [SSID] }],
      ["setParameterValues", { values: [{ name: SSID, value: "Two-Processes" }] }],
      ["addObject", { objectName: PORT_MAPPING }],
      ["getRPCMethods", {}],
    ] as const) {
      tasks.push(await createTask(database.db, { deviceId, kind, args }, actor));
    }

    const first = proxy.log.length;
    const session = await device.inform();
    expect(session.outcome, session.error).toBe("completed");
    expect(session.rpcs).toEqual(["GetParameterValues", "SetParameterValues", "AddObject", "GetRPCMethods"]);
    const requests = proxy.log.slice(first);
    // Inform (challenged, then authenticated), the empty POST, four answers.
    expect(requests.map((r) => r.status)).toEqual([401, 200, 200, 200, 200, 200, 204]);
    expect(requests.map((r) => r.target)).toEqual(requests.map((r) => targets[r.index % 2]));
    expect(requests.slice(2).every((r) => r.cookie)).toBe(true);

    const rows = await database.db.task.findMany({ where: { id: { in: tasks.map((t) => t.id) } } });
    expect(rows.map((t) => t.state)).toEqual(["done", "done", "done", "done"]);
    expect(device.get(SSID)).toBe("Two-Processes");
    expect(device.children(PORT_MAPPING)).toContain(`${PORT_MAPPING}2.`);
    const sessions = await database.db.cwmpSession.findMany({ where: { deviceId } });
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.ended)).toBe(true);
  }, 60_000);

  it("gives the task of a process killed mid-session to the device's next session, served by a new process", async () => {
    let current = a.url;
    const proxy = await forwarder(() => current);
    const tenant = await ensurePlatformTenant(database.db);
    const own = { username: "slow-onu", password: "slow-onu-password-1" };
    const device = simulatedOnu(proxy.url, {
      bootstrapped: true,
      ...own,
      behaviour: { responseDelayMs: 2_500 },
    });
    devices.push(device);
    const registered = await preregisterDevice(
      database.db,
      {
        tenantId: tenant.id,
        oui: device.identity.oui,
        productClass: device.identity.productClass,
        serialNumber: device.serialNumber,
        credentials: own,
      },
      actor,
    );
    // Known already, so the session's first request is the task, not a read of the interval.
    await database.db.device.update({ where: { id: registered.id }, data: { periodicInformInterval: 3600 } });
    const task = await createTask(
      database.db,
      { deviceId: registered.id, kind: "getParameterValues", args: { names: [SSID] } },
      actor,
    );

    const cutOff = device.inform();
    // The process has handed the task's request to the device (the answer to its empty POST, within the
    // session), and the device takes its time to answer.
    await eventually("the task's request to reach the device", () =>
      proxy.log.some((r) => r.cookie && r.status === 200 && r.delivered),
    );
    expect((await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("running");
    await a.stop("SIGKILL");
    const failed = await cutOff;
    expect(failed.outcome).toBe("failed");
    expect(failed.rpcs).toEqual(["GetParameterValues"]);
    expect(await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      state: "running",
      attempts: 1,
    });

    // A process that never saw the session; a long session timeout, since its first Inform is a cold one.
    current = (await startProcess({ BEACON_CWMP_SESSION_TIMEOUT: "30" })).url;
    // The dead process's session holds the device until it times out, as it would for any CPE gone quiet.
    await eventually(
      "the interrupted session to time out",
      async () =>
        (await database.db.cwmpSession.count({
          where: { deviceId: registered.id, live: true, expiresAt: { gt: new Date() } },
        })) === 0,
      (SESSION_TIMEOUT_SECONDS + 5) * 1000,
    );
    const retried = await device.inform();
    expect(retried.outcome, retried.error).toBe("completed");
    // The task only: the interval is known already.
    expect(retried.rpcs).toEqual(["GetParameterValues"]);
    expect(await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      state: "done",
      attempts: 2,
      result: { values: [{ name: SSID, value: "BeaconSim-2G", type: "xsd:string" }] },
    });
  }, 90_000);
});

import { Writable } from "node:stream";
import {
  type ConnectionRequestSettings,
  commandKeyOf,
  connectionRequestTargets,
  createTask,
  wakeDevice,
} from "@beacon/domain";
import {
  type ConnectionRequestListener,
  type ConnectionRequestListenerOptions,
  DigestSession,
  parseChallenges,
  type SimulatedDevice,
  type SimulatedDeviceOptions,
  startConnectionRequestListener,
} from "@beacon/sim";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, deviceIdOf, IGD, simulatedOnu } from "./helpers/sim-device.ts";
import { rawRequest } from "./helpers/test-cpe.ts";

/**
 * Three independent CPE implementations (an OpenWrt CPE agent in C, a Python TR-069 client library, a TypeScript
 * CPE simulator) were run against Beacon; each test here reproduces, with the simulator, one way they differ
 * from the textbook, and shows the device woken by connection request, admitted, and never locked out.
 */

const actor = { label: "test" };
const MS = `${IGD}.ManagementServer`;
const SSID = `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`;
const PASSPHRASE = `${IGD}.LANDevice.1.WLANConfiguration.1.KeyPassphrase`;
/** The simulated devices listen on 127.0.0.1, which connection requests may not reach by default. */
const LOOPBACK: ConnectionRequestSettings = { targets: connectionRequestTargets({ allow: ["loopback"] }) };
const woken = (t: { events: readonly { eventCode: string }[] }) =>
  t.events.some((e) => e.eventCode === "6 CONNECTION REQUEST");
const DAY_MS = 86_400_000;

describe("real CPE stacks: woken by connection request, admitted, never locked out", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let listener: ConnectionRequestListener;
  /** Moves the clock of `ingress` (nonces, credential grace). */
  let clockOffsetMs = 0;
  const devices: SimulatedDevice[] = [];
  const listeners: ConnectionRequestListener[] = [];

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start(
      { bootstrapUsername: BOOTSTRAP.username, bootstrapPassword: BOOTSTRAP.password },
      { clock: () => new Date(Date.now() + clockOffsetMs) },
    );
    listener = await startConnectionRequestListener();
  });
  afterEach(async () => {
    clockOffsetMs = 0;
    await Promise.all(devices.splice(0).map((d) => d.close()));
    await Promise.all(listeners.splice(0).map((l) => l.close()));
  });
  afterAll(async () => {
    await listener.close();
    await fixture.close();
  });

  async function listenerWith(options: ConnectionRequestListenerOptions): Promise<ConnectionRequestListener> {
    const started = await startConnectionRequestListener({ udpPort: false, ...options });
    listeners.push(started);
    return started;
  }

  /**
   * A device that bootstrapped with Beacon and listens for connection requests: its first session (the shared
   * credential: its own credentials) and its second (its own: what Beacon reads of a new device) are over.
   */
  async function bootstrapped(
    options: Partial<SimulatedDeviceOptions> = {},
    on: ConnectionRequestListener = listener,
    acsUrl = ingress.url,
  ): Promise<{ device: SimulatedDevice; deviceId: string }> {
    const device = simulatedOnu(acsUrl, options);
    devices.push(device);
    on.register(device);
    const first = await device.inform();
    expect(first.outcome, first.error).toBe("completed");
    const second = await device.inform();
    expect(second.outcome, second.error).toBe("completed");
    return { device, deviceId: await deviceIdOf(fixture.db, device) };
  }

  const ssidTask = (deviceId: string, value: string) =>
    createTask(fixture.db, { deviceId, kind: "setParameterValues", args: { values: [{ name: SSID, value }] } }, actor);

  const taskRow = (id: string) => fixture.db.task.findUniqueOrThrow({ where: { id } });
  const deviceRow = (id: string) => fixture.db.device.findUniqueOrThrow({ where: { id } });

  it("wakes an OpenWrt CPE agent in C, whose server looks for the exact text `Authorization: Digest ` (fetch sends `authorization:`)", async () => {
    const exact = await listenerWith({ headerParsing: "exact" });
    const { device, deviceId } = await bootstrapped({}, exact);

    // The simulated agent, like the real one, does not see the lower-case header Beacon used to send through fetch.
    const url = exact.urlFor(device.serialNumber);
    const first = await fetch(url);
    const challenge = parseChallenges([first.headers.get("www-authenticate") ?? ""])[0]!;
    const { username, password } = device.connectionRequestCredentials();
    const answer = new DigestSession(challenge, username, password).authorization("GET", new URL(url).pathname);
    expect((await fetch(url, { headers: { authorization: answer } })).status).toBe(401);

    const task = await ssidTask(deviceId, "Woken by hand-written HTTP");
    const session = device.waitForSession(woken, 5_000);
    const result = await wakeDevice(fixture.db, deviceId, { taskId: task.id, settings: LOOPBACK });
    expect(result.outcome, result.detail).toBe("woken");
    expect((await session).rpcs).toEqual(["SetParameterValues"]);
    expect(await taskRow(task.id)).toMatchObject({
      state: "done",
      wakeOutcome: "woken",
      wakeDetail: expect.stringMatching(
        /^HTTP\/1\.1 401 Unauthorized, challenged Digest realm="beacon-sim", qop="auth", algorithm="MD5"; answered Digest MD5: HTTP\/1\.1 200 OK$/,
      ),
    });
    expect(device.get(SSID)).toBe("Woken by hand-written HTTP");
  });

  it("does not send a CPE's password in Basic over plain HTTP when it offers only Basic, unless BEACON_CWMP_ALLOW_BASIC", async () => {
    const basic = await listenerWith({ auth: "basic" });
    const { device, deviceId } = await bootstrapped({}, basic);
    const task = await ssidTask(deviceId, "Basic allowed");

    const refused = await wakeDevice(fixture.db, deviceId, { taskId: task.id, settings: LOOPBACK });
    expect(refused).toMatchObject({ outcome: "refused", detail: expect.stringMatching(/only Basic over plain HTTP/) });
    expect(basic.stats).toMatchObject({ httpChallenged: 1, httpRejected: 0, httpAccepted: 0 });
    expect(await taskRow(task.id)).toMatchObject({ state: "pending", wakeOutcome: "refused" });

    const session = device.waitForSession(woken, 5_000);
    const allowed = await wakeDevice(fixture.db, deviceId, {
      taskId: task.id,
      settings: { ...LOOPBACK, allowBasic: true },
    });
    expect(allowed.outcome, allowed.detail).toBe("woken");
    expect((await session).outcome).toBe("completed");
    expect(await taskRow(task.id)).toMatchObject({ state: "done", wakeOutcome: "woken" });
  });

  it("refuses a loopback ConnectionRequestURL and UDP address by default: nothing reaches the device, the task says why", async () => {
    const { device, deviceId } = await bootstrapped();
    const task = await ssidTask(deviceId, "Never");
    const before = { ...listener.stats };
    const result = await wakeDevice(fixture.db, deviceId, { taskId: task.id });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(result.outcome).toBe("refused");
    expect(listener.stats).toEqual(before);
    expect(device.queuedEvents.map((e) => e.eventCode)).not.toContain("6 CONNECTION REQUEST");
    const row = await taskRow(task.id);
    expect(row).toMatchObject({ state: "pending", wakeOutcome: "refused" });
    expect(row.wakeDetail).toMatch(
      /^HTTP: 127\.0\.0\.1 is a loopback.*BEACON_CONNECTION_REQUEST_ALLOW.*; UDP: 127\.0\.0\.1/,
    );
  });

  it("refuses a ConnectionRequestURL naming one of Beacon's own ports, even where loopback is allowed", async () => {
    const { deviceId } = await bootstrapped();
    await fixture.db.device.update({
      where: { id: deviceId },
      data: { connectionRequestUrl: `${ingress.url}/healthz`, udpConnectionRequestAddress: null },
    });
    const ownPort = Number(new URL(ingress.url).port);
    const settings = { targets: connectionRequestTargets({ allow: ["loopback"], ownPorts: [ownPort] }) };
    const result = await wakeDevice(fixture.db, deviceId, { settings });
    expect(result).toEqual({ outcome: "refused", detail: `127.0.0.1:${ownPort} is Beacon's own port on this host` });
  });

  it("admits a Python TR-069 client that keeps the last Digest challenge and computes MD5 whatever it declares", async () => {
    const { device, deviceId } = await bootstrapped({ quirks: { digestChallenge: "last-md5" } });
    expect(device.get(`${MS}.Username`)).not.toBe(BOOTSTRAP.username);
    const task = await ssidTask(deviceId, "Last challenge");
    const session = device.waitForSession(woken, 5_000);
    expect((await wakeDevice(fixture.db, deviceId, { taskId: task.id, settings: LOOPBACK })).outcome).toBe("woken");
    const transcript = await session;
    expect(transcript.outcome, transcript.error).toBe("completed");
    expect(transcript.httpStatuses.slice(0, 2)).toEqual([401, 200]);
    expect((await deviceRow(deviceId)).cwmpLastCredential).toBe("own");
  });

  describe("with SHA-256 offered too (BEACON_CWMP_DIGEST_SHA256)", () => {
    let app: FastifyInstance;
    let url: string;
    const logLines: string[] = [];

    beforeAll(async () => {
      app = await buildApp({
        db: fixture.db,
        cwmp: {
          bootstrapUsername: BOOTSTRAP.username,
          bootstrapPassword: BOOTSTRAP.password,
          digestSha256: true,
          dataDir: "/tmp/beacon-test-data",
          readNetworkMaps: false,
          collectMetrics: false,
        },
        logger: {
          level: "info",
          stream: new Writable({
            write(chunk, _encoding, done) {
              logLines.push(String(chunk));
              done();
            },
          }),
        },
      });
      await app.listen({ port: 0, host: "127.0.0.1" });
      const address = app.server.address();
      url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    });
    afterAll(() => app.close());

    it("says in the log that the same Python client failed on an algorithm mismatch, not a wrong password", async () => {
      const device = simulatedOnu(url, { quirks: { digestChallenge: "last-md5" } });
      devices.push(device);
      const transcript = await device.inform();
      expect(transcript.outcome).toBe("failed");
      expect(transcript.httpStatuses).toEqual([401, 401]);
      const failure = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === "CPE authentication failed");
      expect(failure).toMatchObject({
        username: BOOTSTRAP.username,
        reason: expect.stringMatching(
          /^algorithm mismatch: the response names algorithm=SHA-256 but was computed with MD5/,
        ),
      });
    });
  });

  it("reaches CWMP from a stack sending `text/xml charset=utf-8` and an empty `Content-Type:` on its empty POST", async () => {
    const quirks = { contentType: "text/xml charset=utf-8", emptyPostContentType: "" };
    const { device, deviceId } = await bootstrapped({ quirks });
    const task = await ssidTask(deviceId, "Odd Content-Type");
    const session = device.waitForSession(woken, 5_000);
    expect((await wakeDevice(fixture.db, deviceId, { taskId: task.id, settings: LOOPBACK })).outcome).toBe("woken");
    const transcript = await session;
    expect(transcript.outcome, transcript.error).toBe("completed");
    expect(transcript.httpStatuses).not.toContain(415);
    expect((await taskRow(task.id)).state).toBe("done");
  });

  it("never locks out a CPE that applies its new credentials only after a restart (Status 1), and records which it used", async () => {
    const device = simulatedOnu(ingress.url, { quirks: { credentialsAfterRestart: true } });
    devices.push(device);
    listener.register(device);
    const first = await device.inform();
    expect(first.outcome, first.error).toBe("completed");
    const deviceId = await deviceIdOf(fixture.db, device);
    // It answered Status 1 and still holds the bootstrap credential.
    expect(first.exchanges.map((e) => e.sent)).toContainEqual({ type: "SetParameterValuesResponse", status: 1 });
    expect(device.get(`${MS}.Username`)).toBe(BOOTSTRAP.username);
    const given = await deviceRow(deviceId);
    expect(given.cwmpUsername).toBeTruthy();
    expect(given.cwmpLastCredential).toBe("bootstrap");
    expect(given.cwmpPreviousCredentialUntil!.getTime()).toBeGreaterThan(Date.now() + 6 * DAY_MS);

    // Before the restart: still the bootstrap credential, admitted as the previous one (not locked out). A plain
    // setting runs; one that carries a secret waits until it speaks with its own credential, since anyone knowing
    // its serial could say the same.
    const plain = await ssidTask(deviceId, "Before restart");
    const task = await createTask(
      fixture.db,
      { deviceId, kind: "setParameterValues", args: { values: [{ name: PASSPHRASE, value: "after-restart-secret" }] } },
      actor,
    );
    const second = await device.inform();
    expect(second.outcome, second.error).toBe("completed");
    expect(second.httpStatuses).not.toContain(403);
    expect(second.rpcs).toEqual(["SetParameterValues"]);
    expect(await taskRow(plain.id)).toMatchObject({ state: "done" });
    expect(await taskRow(task.id)).toMatchObject({ state: "pending" });
    expect(device.get(PASSPHRASE)).not.toBe("after-restart-secret");
    expect((await deviceRow(deviceId)).cwmpLastCredential).toBe("previous");

    // After the restart: its own credential; the previous one no longer admits anyone as this device.
    device.restart();
    const third = await device.inform();
    expect(third.outcome, third.error).toBe("completed");
    expect(third.rpcs).toContain("SetParameterValues");
    expect(device.get(`${MS}.Username`)).toBe(given.cwmpUsername);
    expect(await taskRow(task.id)).toMatchObject({ state: "done" });
    expect(device.get(PASSPHRASE)).toBe("after-restart-secret");
    expect(await deviceRow(deviceId)).toMatchObject({ cwmpLastCredential: "own", cwmpPreviousCredentialUntil: null });
    const impostor = simulatedOnu(ingress.url, { serialNumber: device.serialNumber });
    devices.push(impostor);
    expect((await impostor.inform()).httpStatuses).toContain(403);

    // And its connection-request credentials, applied at the same restart, wake it.
    const later = await ssidTask(deviceId, "Woken after restart");
    const session = device.waitForSession(woken, 5_000);
    expect((await wakeDevice(fixture.db, deviceId, { taskId: later.id, settings: LOOPBACK })).outcome).toBe("woken");
    expect((await session).rpcs).toEqual(["SetParameterValues"]);
    expect(device.get(SSID)).toBe("Woken after restart");
  });

  it("stops accepting the previous credential once its grace is over, for a CPE that never restarted", async () => {
    const device = simulatedOnu(ingress.url, { quirks: { credentialsAfterRestart: true } });
    devices.push(device);
    expect((await device.inform()).outcome).toBe("completed");
    clockOffsetMs = 8 * DAY_MS;
    const late = await device.inform();
    expect(late.outcome).toBe("failed");
    expect(late.httpStatuses).toContain(403);
  });

  it("keeps the bootstrap credential of a CPE that faults the credentials, and gives it new ones next session", async () => {
    const device = simulatedOnu(ingress.url);
    devices.push(device);
    device.injectFault("SetParameterValues", 9001);
    const first = await device.inform();
    expect(first.faults.map((f) => f.faultCode)).toEqual([9001]);
    const row = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: device.serialNumber } });
    expect(row.cwmpUsername).toBeNull();
    const second = await device.inform();
    expect(second.outcome, second.error).toBe("completed");
    expect(device.get(`${MS}.Username`)).toBe((await deviceRow(row.id)).cwmpUsername);
  });

  it("ends a Reboot task when the device is back: its M Reboot Inform names the task, with the boot time", async () => {
    const { device, deviceId } = await bootstrapped({ timing: { timeScale: 0.001, rebootMs: 20 } });
    const task = await createTask(fixture.db, { deviceId, kind: "reboot" }, actor);
    const session = await device.inform();
    expect(session.rpcs).toEqual(["Reboot"]);
    // RebootResponse only promises it.
    expect(await taskRow(task.id)).toMatchObject({ state: "running", result: { awaiting: "M Reboot" } });

    const back = await device.inform();
    expect(back.events).toEqual(
      expect.arrayContaining([
        { eventCode: "1 BOOT", commandKey: "" },
        { eventCode: "M Reboot", commandKey: commandKeyOf(task.id) },
      ]),
    );
    const done = await taskRow(task.id);
    const booted = (await deviceRow(deviceId)).lastBootAt!;
    expect(done).toMatchObject({
      state: "done",
      result: { commandKey: commandKeyOf(task.id), bootTime: booted.toISOString() },
    });
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(booted.getTime());
  });

  it("fails a Reboot task with fault 9000 on a stack without Reboot, and goes on with the device", async () => {
    const { device, deviceId } = await bootstrapped({ quirks: { unsupportedRpcs: ["Reboot"] } });
    const reboot = await createTask(fixture.db, { deviceId, kind: "reboot" }, actor);
    const methods = await createTask(fixture.db, { deviceId, kind: "getRPCMethods" }, actor);
    const session = await device.inform();
    expect(session.rpcs).toEqual(["Reboot", "GetRPCMethods"]);
    expect(await taskRow(reboot.id)).toMatchObject({ state: "fault", faultCode: 9000 });
    const listed = (await taskRow(methods.id)).result as { methods: string[] };
    expect(listed.methods).not.toContain("Reboot");
    expect(listed.methods).toContain("Download");
  });

  it("reads PeriodicInformInterval once from a device whose Inform does not carry it", async () => {
    const device = simulatedOnu(ingress.url);
    devices.push(device);
    const first = await device.inform();
    expect(first.rpcs).toEqual(["SetParameterValues", "GetParameterValues"]);
    expect(first.requests[1]).toEqual({ type: "GetParameterValues", parameterNames: [`${MS}.PeriodicInformInterval`] });
    const row = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: device.serialNumber } });
    expect(row.periodicInformInterval).toBe(Number(device.get(`${MS}.PeriodicInformInterval`)));
    const next = await device.inform();
    expect(next.outcome, next.error).toBe("completed");
    const readsInterval = (r: (typeof next.requests)[number]) =>
      r.type === "GetParameterValues" && r.parameterNames.includes(`${MS}.PeriodicInformInterval`);
    expect(next.requests.filter(readsInterval)).toEqual([]);
  });

  it("checks credentials before decoding: wrong Digest with a large undecodable body gets 401, no SOAP fault", async () => {
    const body = Buffer.alloc(1024 * 1024, "<");
    const result = await rawRequest(ingress.url, {
      method: "POST",
      path: "/",
      headers: {
        "content-type": "text/xml",
        "content-length": String(body.length),
        authorization: `Digest username="${BOOTSTRAP.username}", realm="Beacon CWMP", nonce="${"0".repeat(58)}", uri="/", response="${"0".repeat(32)}", qop=auth, nc=00000001, cnonce="c"`,
      },
      body,
    });
    expect(result.status).toBe(401);
    expect(result.body).toBe("");
  });
});

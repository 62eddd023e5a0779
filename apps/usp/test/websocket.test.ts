import {
  checkoutRoom,
  claimDevice,
  createEnrollmentCredential,
  createTask,
  createTemplate,
  createTenant,
  ensurePlatformTenant,
  importRoomsCsv,
  preregisterDevice,
  startDiagnostic,
} from "@beacon/domain";
import { connectWebSocketAgent, SimulatedUspAgent, type WebSocketAgentConnection } from "@beacon/sim";
import { decodeMsg, decodeRecord, encodeMsg, encodeRecord, Header_MsgType, msgKind, requestMsg } from "@beacon/usp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { BOOTSTRAP, CONTROLLER_ID, eventually, type RunningUsp, type UspFixture, uspFixture } from "./helpers/usp.ts";

const actor = { label: "test@beacon.example" };

describe("a USP agent over WebSocket, over real sockets", () => {
  let fixture: UspFixture;
  let usp: RunningUsp;
  let agent: SimulatedUspAgent;
  let connection: WebSocketAgentConnection;
  let deviceId: string;
  let hotelId: string;

  beforeAll(async () => {
    fixture = await uspFixture();
    usp = await fixture.start();
    const platform = await ensurePlatformTenant(fixture.db);
    hotelId = (await createTenant(fixture.db, { name: "Hotel Usp", kind: "hotel", parentId: platform.id })).id;
    agent = new SimulatedUspAgent({ endpointId: "os::00D09E-USPWS0001", controllerId: CONTROLLER_ID });
    connection = await connectWebSocketAgent(agent, { url: usp.wsUrl, ...BOOTSTRAP });
    agent.sendBoot();
  });
  afterAll(async () => {
    connection?.close();
    await fixture?.close();
  });

  it("registers the booted agent in the unassigned inbox as a USP device, with its DeviceInfo", async () => {
    const device = await eventually(
      "the device and its DeviceInfo",
      () => fixture.db.device.findFirst({ where: { uspEndpointId: agent.endpointId, modelName: { not: null } } }),
      30_000,
    );
    deviceId = device.id;
    const platform = await ensurePlatformTenant(fixture.db);
    expect(device).toMatchObject({
      protocol: "usp",
      uspMtp: "websocket",
      oui: "00D09E",
      serialNumber: "USPWS0001",
      productClass: "USP-GW",
      manufacturer: "Beacon Sim",
      modelName: "SimGateway USP",
      softwareVersion: "2.1.0",
      dataModelRoot: "Device",
      tenantId: platform.id,
    });
    const events = await fixture.db.deviceEvent.findMany({ where: { deviceId } });
    expect(events.map((e) => e.code)).toContain("Boot!");
    expect(agent.received.some((m) => msgKind(m) === "notifyResp")).toBe(true);
  });

  it("creates the subscriptions Beacon needs on the agent: Boot!, OperationComplete, ValueChange", async () => {
    await eventually(
      "three subscriptions",
      () => agent.store.objects("Device.LocalAgent.Subscription.*.").length === 3,
    );
    expect(agent.store.subscriptions("Event")[0]?.referenceList).toEqual(["Device.Boot!"]);
    expect(agent.store.subscriptions("OperationComplete")).toHaveLength(1);
    expect(agent.store.subscriptions("ValueChange")[0]?.referenceList).toContain("Device.WiFi.SSID.*.SSID");
  });

  it("stores a ValueChange the agent notifies", async () => {
    agent.changeLocally("Device.WiFi.SSID.1.SSID", "Changed-On-Device");
    await eventually("the new value stored", () =>
      fixture.db.deviceParameter.findFirst({
        where: { deviceId, name: "Device.WiFi.SSID.1.SSID", value: "Changed-On-Device" },
      }),
    );
  });

  it("runs a Get and a Set from the task queue and records the agent's answers", async () => {
    const get = await createTask(
      fixture.db,
      { deviceId, kind: "getParameterValues", args: { names: ["Device.WiFi.SSID.3.SSID"] } },
      actor,
    );
    const set = await createTask(
      fixture.db,
      {
        deviceId,
        kind: "setParameterValues",
        args: { values: [{ name: "Device.WiFi.SSID.3.SSID", value: "Beacon-5G" }] },
      },
      actor,
    );
    await eventually("both tasks done", async () => {
      const tasks = await fixture.db.task.findMany({ where: { id: { in: [get.id, set.id] } } });
      return tasks.every((t) => t.state === "done") ? tasks : null;
    });
    const done = await fixture.db.task.findUniqueOrThrow({ where: { id: get.id } });
    expect(done.result).toEqual({ values: [{ name: "Device.WiFi.SSID.3.SSID", value: "Sim-USPWS0001-5GHz" }] });
    expect(agent.store.read("Device.WiFi.SSID.3.SSID")).toBe("Beacon-5G");
    const stored = await fixture.db.deviceParameter.findFirstOrThrow({
      where: { deviceId, name: "Device.WiFi.SSID.3.SSID" },
    });
    expect(stored.value).toBe("Beacon-5G");
  });

  it("faults a Set the agent refuses, with the agent's error in words, and changes nothing", async () => {
    const task = await createTask(
      fixture.db,
      {
        deviceId,
        kind: "setParameterValues",
        args: {
          values: [
            { name: "Device.WiFi.SSID.1.SSID", value: "Not-Applied" },
            { name: "Device.DeviceInfo.SerialNumber", value: "EVIL" },
          ],
        },
      },
      actor,
    );
    const faulted = await eventually("the task faulted", async () => {
      const t = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
      return t.state === "fault" ? t : null;
    });
    expect(faulted.faultCode).toBe(7009);
    expect(faulted.faultString).toMatch(/Device\.DeviceInfo\.SerialNumber: Not writable \(7013\)/);
    expect(agent.store.read("Device.WiFi.SSID.1.SSID")).toBe("Changed-On-Device");
  });

  it("runs an IPPing() through Operate and writes its asynchronous result into the diagnostic", async () => {
    const diagnostic = await startDiagnostic(fixture.db, {
      deviceId,
      kind: "ping",
      params: { host: "192.0.2.1", repetitions: 3 },
      actor,
    });
    expect(diagnostic.path).toBe("Device.IP.Diagnostics.IPPing.");
    const complete = await eventually("the ping result", async () => {
      const d = await fixture.db.diagnostic.findUniqueOrThrow({ where: { id: diagnostic.id } });
      return d.state !== "requested" ? d : null;
    });
    expect(complete.state).toBe("complete");
    expect(complete.result).toMatchObject({ kind: "ping", sent: 3, received: 3, lossPercent: 0, avgMs: 12, minMs: 9 });
    expect(complete.summary).toMatch(/3/);
    const operate = agent.received.find((m) => msgKind(m) === "operate");
    expect(operate?.body?.msgBody.case === "request" && operate.body.msgBody.value.reqType.value).toMatchObject({
      command: "Device.IP.Diagnostics.IPPing()",
      inputArgs: { Host: "192.0.2.1", NumberOfRepetitions: "3" },
    });
  });

  it("reports a failed ping in words", async () => {
    const diagnostic = await startDiagnostic(fixture.db, {
      deviceId,
      kind: "ping",
      params: { host: "nowhere.invalid" },
      actor,
    });
    const done = await eventually("the ping result", async () => {
      const d = await fixture.db.diagnostic.findUniqueOrThrow({ where: { id: diagnostic.id } });
      return d.state !== "requested" ? d : null;
    });
    expect(done.state).toBe("failed");
    expect(done.error).toBe("cannot resolve host name");
  });

  it("is claimed into a room, receives its template (resolved through its network map) by Set, and is checked out on every network", async () => {
    await createTemplate(
      fixture.db,
      {
        tenantId: hotelId,
        name: "Room WiFi",
        autoApply: true,
        settings: { "wifi.2g.ssid": "Hotel-{{room.number}}", "wifi.2g.passphrase": "{{room.passphrase}}" },
      },
      actor,
    );
    await importRoomsCsv(fixture.db, { siteId: hotelId, csv: "room,floor\n301,3", dryRun: false, actor });
    const room = await fixture.db.room.findFirstOrThrow({ where: { tenantId: hotelId, number: "301" } });
    await claimDevice(fixture.db, { deviceId, roomId: room.id }, actor);
    await eventually(
      "the template applied on the agent",
      () => agent.store.read("Device.WiFi.SSID.1.SSID") === "Hotel-301",
    );
    const device = await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(device.tenantId).toBe(hotelId);
    const passphraseBefore = agent.store.params.get("Device.WiFi.AccessPoint.1.Security.KeyPassphrase")!.value;

    const checkout = await checkoutRoom(fixture.db, { siteId: hotelId, roomNumber: "301", actor });
    await eventually("the new passphrase on the agent", () => {
      const now = agent.store.params.get("Device.WiFi.AccessPoint.1.Security.KeyPassphrase")!.value;
      return now !== passphraseBefore && now === checkout.passphrase;
    });
    const settled = await eventually("the checkout settled", async () => {
      const row = await fixture.db.checkout.findUniqueOrThrow({ where: { id: checkout.checkoutId } });
      return row.state !== "pending" ? row : null;
    });
    expect(settled.state).toBe("done");
    // Every network of the room's device, the 5 GHz one at SSID.3 / AccessPoint.3 included.
    expect(agent.store.params.get("Device.WiFi.AccessPoint.3.Security.KeyPassphrase")!.value).toBe(checkout.passphrase);
  });

  it("keeps a task for an agent that is offline until it connects again", async () => {
    connection.close();
    await eventually("the connection gone", () => !usp.app.links.forDevice(deviceId));
    const task = await createTask(
      fixture.db,
      { deviceId, kind: "getParameterValues", args: { names: ["Device.DeviceInfo.UpTime"] } },
      actor,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("pending");
    connection = await connectWebSocketAgent(agent, { url: usp.wsUrl, ...BOOTSTRAP });
    await eventually("the task done after the reconnection", async () => {
      const t = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
      return t.state === "done";
    });
  });

  it("reboots the agent with Operate Device.Reboot() and sees it boot again", async () => {
    const task = await createTask(fixture.db, { deviceId, kind: "reboot", args: {} }, actor);
    await eventually(
      "the task done",
      async () => (await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state === "done",
    );
    await eventually(
      "a second Boot! recorded",
      async () => (await fixture.db.deviceEvent.count({ where: { deviceId, code: "Boot!" } })) >= 2,
    );
  });
});

describe("admission and hostile input on the WebSocket MTP", () => {
  let fixture: UspFixture;
  let usp: RunningUsp;

  beforeAll(async () => {
    fixture = await uspFixture();
    usp = await fixture.start();
  });
  afterAll(async () => fixture?.close());

  /** A raw client speaking the binding correctly, to send whatever a test wants. */
  async function rawClient(
    eid: string,
    auth = BOOTSTRAP,
  ): Promise<{ socket: WebSocket; messages: Uint8Array[]; closed: Promise<number> }> {
    const socket = new WebSocket(usp.wsUrl, "v1.usp", {
      perMessageDeflate: false,
      headers: {
        "Sec-WebSocket-Extensions": `bbf-usp-protocol; eid="${eid}"`,
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`,
      },
    });
    const messages: Uint8Array[] = [];
    socket.on("message", (data: Buffer) => messages.push(new Uint8Array(data)));
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return { socket, messages, closed };
  }

  function upgradeStatus(headers: Record<string, string>, protocol = "v1.usp"): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(usp.wsUrl, protocol, { headers, perMessageDeflate: false });
      socket.once("unexpected-response", (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      socket.once("open", () => {
        socket.close();
        reject(new Error("the upgrade was accepted"));
      });
      socket.once("error", () => {});
    });
  }

  it("refuses an upgrade without credentials, with wrong ones, without eid or without the v1.usp subprotocol", async () => {
    const ext = { "Sec-WebSocket-Extensions": 'bbf-usp-protocol; eid="os::00D09E-X1"' };
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
    expect(await upgradeStatus(ext)).toBe(401);
    expect(await upgradeStatus({ ...ext, Authorization: basic(BOOTSTRAP.username, "wrong") })).toBe(401);
    expect(await upgradeStatus({ Authorization: basic(BOOTSTRAP.username, BOOTSTRAP.password) })).toBe(400);
    expect(
      await upgradeStatus({ ...ext, Authorization: basic(BOOTSTRAP.username, BOOTSTRAP.password) }, "v2.other"),
    ).toBe(400);
    expect(await fixture.db.device.count()).toBe(0);
  });

  it("refuses Basic credentials without TLS unless allowed", async () => {
    const strict = await fixture.start({ allowBasicWithoutTls: false });
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(strict.wsUrl, "v1.usp", {
        perMessageDeflate: false,
        headers: {
          "Sec-WebSocket-Extensions": 'bbf-usp-protocol; eid="os::00D09E-X2"',
          Authorization: `Basic ${Buffer.from(`${BOOTSTRAP.username}:${BOOTSTRAP.password}`).toString("base64")}`,
        },
      });
      socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.once("error", () => {});
    });
    expect(status).toBe(403);
  });

  it("closes with 1003 on a truncated Record and on a text frame", async () => {
    const valid = encodeRecord({
      version: "1.3",
      toId: CONTROLLER_ID,
      fromId: "os::00D09E-H1",
      kind: "websocketConnect",
    });
    const a = await rawClient("os::00D09E-H1");
    a.socket.send(valid.subarray(0, valid.length - 3), { binary: true });
    expect(await a.closed).toBe(1003);
    const b = await rawClient("os::00D09E-H1");
    b.socket.send("hello");
    expect(await b.closed).toBe(1003);
  });

  it("closes an oversized Record's connection before reading it (1009)", async () => {
    const c = await rawClient("os::00D09E-H2");
    c.socket.send(new Uint8Array(65 * 1024), { binary: true });
    expect(await c.closed).toBe(1009);
  });

  it("drops Records for another endpoint or from another than the connection's, and answers an unknown Msg type with Error 7001", async () => {
    const d = await rawClient("os::00D09E-H3");
    const notify = encodeMsg(
      requestMsg("n-1", {
        case: "notify",
        value: {
          sendResp: true,
          notification: { case: "event", value: { objPath: "Device.", eventName: "Boot!" } },
        },
      }),
    );
    d.socket.send(
      encodeRecord({
        version: "1.3",
        toId: "proto::someone-else",
        fromId: "os::00D09E-H3",
        kind: "noSessionContext",
        payload: notify,
      }),
      { binary: true },
    );
    d.socket.send(
      encodeRecord({
        version: "1.3",
        toId: CONTROLLER_ID,
        fromId: "os::00D09E-SPOOF",
        kind: "noSessionContext",
        payload: notify,
      }),
      { binary: true },
    );
    // Header{msg_id="u-1", msg_type=99}, Body{request{field 60}}: a request type no USP version defines.
    const unknown = Uint8Array.from([
      0x0a, 0x07, 0x0a, 0x03, 0x75, 0x2d, 0x31, 0x10, 0x63, 0x12, 0x05, 0x0a, 0x03, 0xe2, 0x03, 0x00,
    ]);
    d.socket.send(
      encodeRecord({
        version: "1.3",
        toId: CONTROLLER_ID,
        fromId: "os::00D09E-H3",
        kind: "noSessionContext",
        payload: unknown,
      }),
      { binary: true },
    );
    await eventually("the Error reply", () => d.messages.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(d.messages).toHaveLength(1);
    const record = decodeRecord(d.messages[0]!);
    expect(record).toMatchObject({ toId: "os::00D09E-H3", fromId: CONTROLLER_ID, kind: "noSessionContext" });
    const error = decodeMsg((record as { payload: Uint8Array }).payload);
    expect(error.header).toMatchObject({ msgId: "u-1", msgType: Header_MsgType.ERROR });
    expect(error.body?.msgBody.case === "error" && error.body.msgBody.value.errCode).toBe(7001);
    expect(await fixture.db.device.count()).toBe(0);
    expect(d.socket.readyState).toBe(WebSocket.OPEN);
    d.socket.close();
  });

  it("refuses a Notify from an agent that never booted, and keeps serving", async () => {
    const e = await rawClient("os::00D09E-H4");
    const valueChange = encodeMsg(
      requestMsg("v-1", {
        case: "notify",
        value: {
          sendResp: true,
          notification: { case: "valueChange", value: { paramPath: "Device.X", paramValue: "1" } },
        },
      }),
    );
    e.socket.send(
      encodeRecord({
        version: "1.3",
        toId: CONTROLLER_ID,
        fromId: "os::00D09E-H4",
        kind: "noSessionContext",
        payload: valueChange,
      }),
      { binary: true },
    );
    await eventually("the Error reply", () => e.messages.length >= 1);
    const error = decodeMsg((decodeRecord(e.messages[0]!) as { payload: Uint8Array }).payload);
    expect(error.body?.msgBody.case === "error" && error.body.msgBody.value.errCode).toBe(7002);
    e.socket.close();
  });

  it("under closed admission refuses an unregistered agent's Boot! and closes its connection", async () => {
    const closed = await fixture.start({ admission: "closed" });
    const agent = new SimulatedUspAgent({ endpointId: "os::00D09E-NOTREG", controllerId: CONTROLLER_ID });
    const conn = await connectWebSocketAgent(agent, { url: closed.wsUrl, ...BOOTSTRAP });
    const code = new Promise<number>((resolve) => conn.socket.once("close", (c) => resolve(c)));
    agent.sendBoot();
    expect(await code).toBe(1008);
    const error = agent.received.find((m) => msgKind(m) === "error");
    expect(error?.body?.msgBody.case === "error" && error.body.msgBody.value.errMsg).toMatch(/not registered/);
    expect(await fixture.db.device.count({ where: { uspEndpointId: "os::00D09E-NOTREG" } })).toBe(0);
  });

  it("puts an agent enrolled with its domain's credential in that domain's inbox; a device's own credential admits that device only", async () => {
    const platform = await ensurePlatformTenant(fixture.db);
    const isp = await createTenant(fixture.db, { name: "Isp Enroll", kind: "operator", parentId: platform.id });
    const enrollment = await createEnrollmentCredential(fixture.db, isp.id, actor);
    const agent = new SimulatedUspAgent({ endpointId: "os::00D09E-ENROLL01", controllerId: CONTROLLER_ID });
    const conn = await connectWebSocketAgent(agent, { url: usp.wsUrl, ...enrollment });
    agent.sendBoot();
    const device = await eventually(
      "the enrolled agent registered",
      () => fixture.db.device.findFirst({ where: { uspEndpointId: agent.endpointId } }),
      30_000,
    );
    expect(device.tenantId).toBe(isp.id);
    conn.close();

    // A wrong password for the domain's credential is refused at the upgrade.
    const refused = new SimulatedUspAgent({ endpointId: "os::00D09E-ENROLL02", controllerId: CONTROLLER_ID });
    await expect(
      connectWebSocketAgent(refused, { url: usp.wsUrl, username: enrollment.username, password: "wrong" }),
    ).rejects.toThrow(/HTTP 401/);

    // A device's own credential, presented by another agent, is refused at its Boot!.
    const own = { username: "cpe-own-0001", password: "own-secret-0001" };
    await preregisterDevice(
      fixture.db,
      { tenantId: isp.id, oui: "00D09E", productClass: "USP-GW", serialNumber: "OWNCRED01", credentials: own },
      actor,
    );
    const impostor = new SimulatedUspAgent({ endpointId: "os::00D09E-IMPOSTOR1", controllerId: CONTROLLER_ID });
    const impostorConn = await connectWebSocketAgent(impostor, { url: usp.wsUrl, ...own });
    const closed = new Promise<number>((resolve) => impostorConn.socket.once("close", (c) => resolve(c)));
    impostor.sendBoot();
    expect(await closed).toBe(1008);
    expect(await fixture.db.device.count({ where: { uspEndpointId: impostor.endpointId } })).toBe(0);

    const owner = new SimulatedUspAgent({ endpointId: "os::00D09E-OWNCRED01", controllerId: CONTROLLER_ID });
    const ownerConn = await connectWebSocketAgent(owner, { url: usp.wsUrl, ...own });
    owner.sendBoot();
    const registered = await eventually(
      "the device's own agent registered",
      () => fixture.db.device.findFirst({ where: { uspEndpointId: owner.endpointId } }),
      30_000,
    );
    expect(registered).toMatchObject({ serialNumber: "OWNCRED01", tenantId: isp.id, protocol: "usp" });
    ownerConn.close();
  });
});

import type { AcsRequest, CpeResponse, Fault } from "@beacon/cwmp";
import { createDb, type Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkoutAnswer,
  checkoutRequest,
  checkoutResult,
  type PreparedCheckout,
  prepareCheckoutNetworks,
} from "../src/checkout/checkout-networks.ts";
import { checkoutRoom } from "../src/checkout/checkout-room.ts";
import { getCheckout, listCheckouts } from "../src/checkout/checkout-status.ts";
import { claimDevice } from "../src/provisioning/assignments.ts";
import { roomGrid } from "../src/sites/room-grid.ts";
import { createRoomRange } from "../src/sites/rooms.ts";
import { claimNextTask } from "../src/tasks/task-queue.ts";
import { loadMappings } from "../src/templates/mappings.ts";
import { createTemplate } from "../src/templates/templates.ts";
import { createModelDevice, modelFor } from "./support/cpe-devices.ts";
import { actor, domainTree, finishTask } from "./support/domains.ts";

const WLAN = "InternetGatewayDevice.LANDevice.1.WLANConfiguration";
const mappings = loadMappings();

/** A device's answer to one request: accepts every SetParameterValues and reads every name back empty, unless told. */
type Device = (request: AcsRequest) => CpeResponse | Fault;
const writeOnly: Device = (request) =>
  request.type === "GetParameterValues"
    ? {
        type: "GetParameterValuesResponse",
        parameterList: request.parameterNames.map((name) => ({
          name,
          value: name.endsWith("Enable") ? "true" : "",
          type: "xsd:string",
        })),
      }
    : { type: "SetParameterValuesResponse", status: 0 };

describe("checkout", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;
  const devices: Record<string, string> = {};

  /** What the device's next sessions would run, each finished as the device would; a checkout as the session runs it. */
  async function runQueue(
    deviceId: string,
    device: Device = writeOnly,
  ): Promise<{ kind: string; requests: AcsRequest[] }[]> {
    const ran: { kind: string; requests: AcsRequest[] }[] = [];
    for (;;) {
      const task = await claimNextTask(db, deviceId, new Date());
      if (!task) return ran;
      if (task.kind !== "checkoutNetworks") {
        ran.push({ kind: task.kind, requests: [] });
        await finishTask(db, task.id);
        continue;
      }
      const args = task.args as { checkoutId: string; passphrase: string; settings: Record<string, string> };
      let prepared: PreparedCheckout = await db.$transaction((tx) =>
        prepareCheckoutNetworks(tx, deviceId, args, mappings),
      );
      const requests: AcsRequest[] = [];
      for (let step = 0; step < prepared.steps.length; step++) {
        const request = checkoutRequest(prepared, step);
        requests.push(request);
        const out = checkoutAnswer(prepared, step, device(request));
        prepared = out.prepared;
        if (out.kind === "done") break;
      }
      ran.push({ kind: task.kind, requests });
      await db.task.update({
        where: { id: task.id },
        data: { state: "done", finishedAt: new Date(), result: JSON.parse(JSON.stringify(checkoutResult(prepared))) },
      });
    }
  }

  const values = (request: AcsRequest | undefined) =>
    request?.type === "SetParameterValues"
      ? Object.fromEntries(request.parameterList.map((p) => [p.name, p.value]))
      : {};

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "out");
    await createRoomRange(db, { siteId: tree.hotel.id, from: 401, to: 404 });
    await createTemplate(
      db,
      {
        tenantId: tree.hotel.id,
        name: "Room WiFi",
        autoApply: true,
        settings: {
          "wifi.2g.ssid": "Hotel-{{room.number}}",
          "wifi.5g.ssid": "Hotel-{{room.number}}-5G",
          "wifi.2g.passphrase": "{{room.passphrase}}",
          "wifi.5g.passphrase": "{{room.passphrase}}",
          "wifi.2g.enable": "true",
          "management.periodicInformInterval": "300",
          "checkout.passphrase": "{{room.number}}-{{random.digits(6)}}",
        },
      },
      actor,
    );
    const rooms = Object.fromEntries(
      (await db.room.findMany({ where: { tenantId: tree.hotel.id } })).map((r) => [r.number, r.id]),
    );
    const placed = [
      ["401", "huawei-eg8145v5", new Date()],
      ["402", "tplink-ex220", new Date()],
      ["403", "nokia-g-1425g-a", new Date(Date.now() - 86_400_000)],
    ] as const;
    for (const [number, model, lastInformAt] of placed) {
      devices[number] = await createModelDevice(db, tree.integrator.id, modelFor(model).model, { lastInformAt });
      await claimDevice(db, { deviceId: devices[number]!, roomId: rooms[number] }, actor);
      await runQueue(devices[number]!);
    }
  });
  afterAll(() => database?.drop());

  it("gives the room a new passphrase and plans, per network the device reports on, off, new passphrase and on, then a read-back", async () => {
    const before = await db.room.findFirstOrThrow({ where: { tenantId: tree.hotel.id, number: "401" } });
    const others = await db.task.count({ where: { deviceId: { in: [devices["402"]!, devices["403"]!] } } });

    const result = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "401", actor });
    expect(result.passphrase).toMatch(/^401-\d{6}$/);
    expect(result.passphrase).not.toBe(before.wifiPassphrase);
    expect(result).toMatchObject({ state: "pending", readFirst: false });
    expect(result.taskIds).toHaveLength(1);
    expect(await db.task.count({ where: { deviceId: { in: [devices["402"]!, devices["403"]!] } } })).toBe(others);
    expect((await db.room.findUniqueOrThrow({ where: { id: before.id } })).wifiPassphrase).toBe(result.passphrase);
    expect(await getCheckout(db, result.checkoutId)).toMatchObject({
      state: "pending",
      passphrase: result.passphrase,
      roomNumber: "401",
    });

    const [checkout] = await runQueue(devices["401"]!);
    const [off, first, second, readBack] = checkout!.requests;
    expect(values(off)).toEqual({ [`${WLAN}.1.Enable`]: "false", [`${WLAN}.5.Enable`]: "false" });
    expect(values(first)).toMatchObject({
      [`${WLAN}.1.SSID`]: "Hotel-401",
      [`${WLAN}.1.PreSharedKey.1.PreSharedKey`]: result.passphrase,
      [`${WLAN}.1.Enable`]: "true",
    });
    expect(values(second)).toMatchObject({
      [`${WLAN}.5.SSID`]: "Hotel-401-5G",
      [`${WLAN}.5.PreSharedKey.1.PreSharedKey`]: result.passphrase,
      [`${WLAN}.5.Enable`]: "true",
    });
    expect(readBack?.type).toBe("GetParameterValues");
    const done = await getCheckout(db, result.checkoutId);
    expect(done.state).toBe("done");
    expect(done.completedAt).not.toBeNull();
    expect(done.networks.map((n) => [n.path, n.status, n.clientsDropped])).toEqual([
      [`${WLAN}.1.`, "unverifiable", true],
      [`${WLAN}.5.`, "unverifiable", true],
    ]);

    // The device's record follows, so that a reset or a replacement ONU gets the new passphrase.
    const carried = await db.deviceTemplate.findFirstOrThrow({ where: { deviceId: devices["401"]! } });
    const recorded = carried.values as { setting: string; value: string }[];
    expect(recorded.filter((v) => v.setting.endsWith("passphrase")).map((v) => v.value)).toEqual([
      result.passphrase,
      result.passphrase,
    ]);
  });

  it("keeps an offline device's checkout pending, in the database only, until the device comes back", async () => {
    const result = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "403", actor, reboot: true });
    expect(result.taskIds).toHaveLength(2);
    const grid = await roomGrid(db, tree.hotel.id);
    expect(grid.otherRooms.find((r) => r.number === "403")).toMatchObject({
      state: "pending-checkout",
      device: { online: false },
    });

    // A restarted process (a new client) sees the same pending checkout: nothing lived in memory.
    const restarted = createDb(database.url, { maxConnections: 1 });
    try {
      expect(
        (await listCheckouts(restarted, { roomId: grid.otherRooms.find((r) => r.number === "403")!.id }))[0],
      ).toMatchObject({
        id: result.checkoutId,
        state: "pending",
        passphrase: result.passphrase,
      });
    } finally {
      await restarted.$disconnect();
    }

    const ran = await runQueue(devices["403"]!);
    expect(ran.map((t) => t.kind)).toEqual(["checkoutNetworks", "reboot"]);
    // Only the Nokia's two networks that are on: WLANConfiguration 2-4 and 6-8 are off and stay off.
    const passphrases = ran[0]!.requests.flatMap((r) => Object.entries(values(r)));
    expect(passphrases.filter(([, v]) => v === result.passphrase).map(([k]) => k)).toEqual([
      `${WLAN}.1.PreSharedKey.1.KeyPassphrase`,
      `${WLAN}.5.PreSharedKey.1.KeyPassphrase`,
    ]);
    expect((await getCheckout(db, result.checkoutId)).state).toBe("done");
  });

  it("ends incomplete naming the network the device refused, raises the room's alarm, and clears it at the next complete checkout", async () => {
    const roomId = (await db.room.findFirstOrThrow({ where: { number: "402" } })).id;
    const result = await checkoutRoom(db, { roomId, actor });
    const refusing: Device = (request) =>
      request.type === "SetParameterValues" &&
      request.parameterList.some((p) => p.name === "Device.WiFi.AccessPoint.3.Security.KeyPassphrase")
        ? {
            type: "Fault",
            faultCode: 9003,
            faultString: "Invalid arguments",
            setParameterValuesFault: [
              {
                parameterName: "Device.WiFi.AccessPoint.3.Security.KeyPassphrase",
                faultCode: 9007,
                faultString: "Invalid parameter value",
              },
            ],
          }
        : writeOnly(request);
    await runQueue(devices["402"]!, refusing);
    const incomplete = await getCheckout(db, result.checkoutId);
    expect(incomplete.state).toBe("incomplete");
    expect(incomplete.problem).toMatch(
      /5 GHz main network "[^"]*" \(Device\.WiFi\.SSID\.3\): refused the new passphrase: fault 9003/,
    );
    expect(incomplete.networks.find((n) => n.path === "Device.WiFi.SSID.3.")?.reason).toMatch(/left switched off/);
    const alarm = await db.alarm.findFirstOrThrow({
      where: { deviceId: devices["402"]!, type: "checkout.incomplete", state: "active" },
    });
    expect(alarm.message).toMatch(/^Room 402: checkout incomplete: /);
    const grid = await roomGrid(db, tree.hotel.id);
    expect(grid.otherRooms.find((r) => r.number === "402")?.lastCheckout).toMatchObject({ state: "incomplete" });

    const again = await checkoutRoom(db, { roomId, actor });
    await runQueue(devices["402"]!);
    expect((await getCheckout(db, again.checkoutId)).state).toBe("done");
    expect(await db.alarm.findUniqueOrThrow({ where: { id: alarm.id } })).toMatchObject({ state: "cleared" });
  });

  it("fails when its task fails for good", async () => {
    const failing = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "402", actor });
    await finishTask(db, failing.taskIds[0]!, { code: 9001, message: "Request denied" });
    expect(await getCheckout(db, failing.checkoutId)).toMatchObject({
      state: "failed",
      problem: "the checkoutNetworks task ended: fault 9001 Request denied",
    });
  });

  it("reads the device's networks first when Beacon's map of them is unknown", async () => {
    await db.deviceNetworkMap.delete({ where: { deviceId: devices["401"]! } });
    const result = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "401", actor });
    expect(result.readFirst).toBe(true);
    const next = await claimNextTask(db, devices["401"]!, new Date());
    expect(next?.kind).toBe("readNetworkMap");
  });

  it("refuses a room without a provisioned device", async () => {
    await expect(checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "404", actor })).rejects.toThrow(
      "room 404 has no provisioned device",
    );
    await expect(checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "999", actor })).rejects.toThrow(
      "room 999 not found",
    );
  });
});

import { createDb, type Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutRoom } from "../src/checkout/checkout-room.ts";
import { getCheckout, listCheckouts, settleCheckouts } from "../src/checkout/checkout-status.ts";
import { claimDevice } from "../src/provisioning/assignments.ts";
import { roomGrid } from "../src/sites/room-grid.ts";
import { createRoomRange } from "../src/sites/rooms.ts";
import { claimNextTask } from "../src/tasks/task-queue.ts";
import { retryWithoutRejected } from "../src/templates/rejected-settings.ts";
import { createTemplate } from "../src/templates/templates.ts";
import { createModelDevice, modelFor } from "./support/cpe-devices.ts";
import { actor, domainTree, finishTask, spvValues } from "./support/domains.ts";

const WLAN = "InternetGatewayDevice.LANDevice.1.WLANConfiguration";

describe("checkout", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;
  const devices: Record<string, string> = {};

  /** What the device's next sessions would run, in order, each finished as the device would. */
  async function runQueue(deviceId: string): Promise<{ kind: string; values: Record<string, string> }[]> {
    const ran: { kind: string; values: Record<string, string> }[] = [];
    for (;;) {
      const task = await claimNextTask(db, deviceId, new Date());
      if (!task) return ran;
      ran.push({ kind: task.kind, values: task.kind === "setParameterValues" ? spvValues(task) : {} });
      await finishTask(db, task.id);
    }
  }

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

  it("gives the room a new passphrase and queues the change for that room's device only", async () => {
    const before = await db.room.findFirstOrThrow({ where: { tenantId: tree.hotel.id, number: "401" } });
    const others = await db.task.count({ where: { deviceId: { in: [devices["402"]!, devices["403"]!] } } });

    const result = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "401", actor });
    expect(result.passphrase).toMatch(/^401-\d{6}$/);
    expect(result.passphrase).not.toBe(before.wifiPassphrase);
    expect(result.state).toBe("pending");
    expect(result.taskIds).toHaveLength(2);
    expect(await db.task.count({ where: { deviceId: { in: [devices["402"]!, devices["403"]!] } } })).toBe(others);
    expect((await db.room.findUniqueOrThrow({ where: { id: before.id } })).wifiPassphrase).toBe(result.passphrase);
    expect(await getCheckout(db, result.checkoutId)).toMatchObject({
      state: "pending",
      passphrase: result.passphrase,
      roomNumber: "401",
    });

    // Networks off (every client drops), then back on with the new passphrase and the template's names.
    expect(await runQueue(devices["401"]!)).toEqual([
      { kind: "setParameterValues", values: { [`${WLAN}.1.Enable`]: "false", [`${WLAN}.5.Enable`]: "false" } },
      {
        kind: "setParameterValues",
        values: {
          [`${WLAN}.1.SSID`]: "Hotel-401",
          [`${WLAN}.5.SSID`]: "Hotel-401-5G",
          [`${WLAN}.1.PreSharedKey.1.PreSharedKey`]: result.passphrase,
          [`${WLAN}.5.PreSharedKey.1.PreSharedKey`]: result.passphrase,
          [`${WLAN}.1.Enable`]: "true",
          [`${WLAN}.5.Enable`]: "true",
        },
      },
    ]);
    const done = await getCheckout(db, result.checkoutId);
    expect(done.state).toBe("done");
    expect(done.completedAt).not.toBeNull();

    // The device's record follows, so that a reset or a replacement ONU gets the new passphrase.
    const carried = await db.deviceTemplate.findFirstOrThrow({ where: { deviceId: devices["401"]! } });
    const values = carried.values as { setting: string; value: string }[];
    expect(values.filter((v) => v.setting.endsWith("passphrase")).map((v) => v.value)).toEqual([
      result.passphrase,
      result.passphrase,
    ]);
  });

  it("keeps an offline device's checkout pending, in the database only, until the device comes back", async () => {
    const result = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "403", actor, reboot: true });
    expect(result.taskIds).toHaveLength(3);
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
    expect(ran.map((t) => t.kind)).toEqual(["setParameterValues", "setParameterValues", "reboot"]);
    expect(ran[1]?.values[`${WLAN}.1.PreSharedKey.1.KeyPassphrase`]).toBe(result.passphrase);
    expect((await getCheckout(db, result.checkoutId)).state).toBe("done");
  });

  it("follows the retry when the device refuses one value, and fails when a task fails for good", async () => {
    const result = await checkoutRoom(db, {
      roomId: (await db.room.findFirstOrThrow({ where: { number: "402" } })).id,
      actor,
    });
    const [off, restore] = result.taskIds;
    await finishTask(db, off!);
    const refused = "Device.WiFi.SSID.3.SSID";
    await finishTask(db, restore!, {
      code: 9003,
      message: `Invalid arguments; ${refused}: Invalid parameter value (9007)`,
    });
    // The session ends (and settles its checkouts) before the background retry has been queued: still pending.
    await settleCheckouts(db, { deviceId: devices["402"]! });
    expect((await getCheckout(db, result.checkoutId)).state).toBe("pending");
    const retry = await retryWithoutRejected(db, restore!, [
      { parameterName: refused, faultCode: 9007, faultString: "Invalid parameter value" },
    ]);
    expect(retry.kind).toBe("retried");
    const pending = await getCheckout(db, result.checkoutId);
    expect(pending.state).toBe("pending");
    expect(pending.problem).toBe(`the device refused ${refused} (9007 Invalid parameter value)`);
    const ran = await runQueue(devices["402"]!);
    expect(ran[0]?.values["Device.WiFi.AccessPoint.1.Security.KeyPassphrase"]).toBe(result.passphrase);
    expect(ran[0]?.values["Device.WiFi.SSID.1.Enable"]).toBe("true");
    expect((await getCheckout(db, result.checkoutId)).state).toBe("done");

    const failing = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "402", actor });
    await finishTask(db, failing.taskIds[0]!, { code: 9001, message: "Request denied" });
    expect(await getCheckout(db, failing.checkoutId)).toMatchObject({
      state: "failed",
      problem: "the setParameterValues task ended: fault 9001 Request denied",
    });
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

import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { createTenancy, READ_YOUR_WRITES_MS } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

/**
 * DATABASE_REPLICA_URL: the console's lists and pages read the replica, writes and the user's own access go to the
 * primary. Here the "replica" is a second database on the same server whose content differs on purpose, so that
 * each answer shows which database it came from.
 */
describe("console reads from a replica (DATABASE_REPLICA_URL)", { timeout: 60_000 }, () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let server: ApiServer;
  let now = Date.now();
  const hotelId = randomUUID();
  const userId = randomUUID();
  const deviceId = randomUUID();

  beforeAll(async () => {
    [primary, replica] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    for (const [database, serialNumber] of [
      [primary, "ON-PRIMARY"],
      [replica, "ON-REPLICA"],
    ] as const) {
      await database.db.tenant.create({ data: { id: hotelId, name: "Hotel", kind: "hotel", ancestorIds: [hotelId] } });
      await database.db.user.create({
        data: {
          id: userId,
          email: "owner@hotel.example.com",
          passwordHash: "x",
          memberships: { create: { tenantId: hotelId, role: "owner" } },
        },
      });
      await database.db.device.create({
        data: { id: deviceId, tenantId: hotelId, oui: "00D09E", productClass: "Box", serialNumber },
      });
    }
    const tenancy = createTenancy(primary.db, { replica: replica.db, clock: () => now });
    server = await startApiServer(primary.db, tenancy);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([primary?.drop(), replica?.drop()]);
  });

  const serials = async () => {
    const answer = await callProcedure(server.url, userId, "devices.list", "query", {});
    expect(answer.error).toBeUndefined();
    return (answer.data as { rows: { serialNumber: string }[] }).rows.map((d) => d.serialNumber);
  };

  it("answers the device list and a device's page from the replica", async () => {
    expect(await serials()).toEqual(["ON-REPLICA"]);
    const page = await callProcedure(server.url, userId, "devices.get", "query", { deviceId });
    expect(page.data).toMatchObject({ serialNumber: "ON-REPLICA" });
  });

  it("writes to the primary, and the writer reads the primary until the replica has surely caught up", async () => {
    const queued = await callProcedure(server.url, userId, "devices.act", "mutation", {
      deviceId,
      action: { kind: "reboot" },
    });
    expect(queued.error).toBeUndefined();
    expect(await primary.db.task.count({ where: { deviceId } })).toBe(1);
    expect(await replica.db.task.count({ where: { deviceId } })).toBe(0);
    expect(await serials()).toEqual(["ON-PRIMARY"]);
    now += READ_YOUR_WRITES_MS + 1;
    expect(await serials()).toEqual(["ON-REPLICA"]);
  });

  it("checks the user's access on the primary: a user disabled there reads nothing, whatever the replica says", async () => {
    await primary.db.user.update({ where: { id: userId }, data: { disabled: true } });
    const answer = await callProcedure(server.url, userId, "devices.list", "query", {});
    expect(answer.error?.code).toBe("UNAUTHORIZED");
    expect(answer.text).not.toContain("ON-REPLICA");
  });
});

import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneContactHistory } from "../src/cwmp/history-retention.ts";
import { ensurePlatformTenant } from "../src/tenants/tenants.ts";

const now = new Date("2026-12-02T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("contact history retention", () => {
  let database: TestDatabase;
  let db: Db;
  let deviceId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const platform = await ensurePlatformTenant(db);
    const device = await db.device.create({
      data: { tenantId: platform.id, oui: "00259E", productClass: "ONT", serialNumber: "RETAIN-1" },
    });
    deviceId = device.id;
  });
  afterAll(() => database?.drop());

  it("deletes ended sessions past the retention and keeps recent and live ones", async () => {
    const session = (lastSeenAt: Date, live: boolean) =>
      db.cwmpSession.create({
        data: {
          deviceId,
          namespace: "urn:dslforum-org:cwmp-1-0",
          lastSeenAt,
          expiresAt: new Date(lastSeenAt.getTime() + 30_000),
          ended: !live,
          live: live ? true : null,
        },
      });
    const old = await session(hoursAgo(30), false);
    const recent = await session(hoursAgo(2), false);
    const live = await session(hoursAgo(40), true);

    const pruned = await pruneContactHistory(db, now, { endedSessionsHours: 24, eventsDays: 30, batch: 1 });

    expect(pruned.sessions).toBe(1);
    const left = (await db.cwmpSession.findMany({ select: { id: true } })).map((s) => s.id).sort();
    expect(left).toEqual([recent.id, live.id].sort());
    expect(left).not.toContain(old.id);
  });

  it("deletes events older than the retention in batches, oldest first, and keeps the rest", async () => {
    const ages = [24 * 40, 24 * 35, 24 * 31, 24 * 29, 2, 0];
    for (const h of ages) await db.deviceEvent.create({ data: { deviceId, code: "2 PERIODIC", at: hoursAgo(h) } });

    const pruned = await pruneContactHistory(db, now, { endedSessionsHours: 24, eventsDays: 30, batch: 2 });

    expect(pruned.events).toBe(3);
    const left = await db.deviceEvent.findMany({ orderBy: { id: "asc" }, select: { at: true } });
    expect(left.map((e) => e.at)).toEqual([hoursAgo(24 * 29), hoursAgo(2), hoursAgo(0)]);
    expect(await pruneContactHistory(db, now)).toEqual({ sessions: 0, events: 0 });
  });
});

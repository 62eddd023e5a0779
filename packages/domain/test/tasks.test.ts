import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Invalid } from "../src/errors.ts";
import { cancelTask, createTask } from "../src/tasks/create-task.ts";
import { MAX_ATTEMPTS } from "../src/tasks/retry-policy.ts";
import { claimNextTask, faultTask, requeueInterruptedSql } from "../src/tasks/task-queue.ts";
import { ensurePlatformTenant } from "../src/tenants/tenants.ts";

const actor = { label: "test" };

describe("task queue", () => {
  let database: TestDatabase;
  let deviceId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const tenant = await ensurePlatformTenant(database.db);
    deviceId = (await database.db.device.create({ data: { tenantId: tenant.id, oui: "00D09E", serialNumber: "T1" } }))
      .id;
  });
  afterAll(() => database.drop());

  it("checks kind and arguments when a task is created", async () => {
    await expect(createTask(database.db, { deviceId, kind: "format" }, actor)).rejects.toThrow(
      /unknown task kind format/,
    );
    await expect(
      createTask(database.db, { deviceId, kind: "getParameterValues", args: { names: [] } }, actor),
    ).rejects.toThrow(Invalid);
    await expect(
      createTask(database.db, { deviceId, kind: "addObject", args: { objectName: "A.B" } }, actor),
    ).rejects.toThrow(/ends with a dot/);
    await expect(createTask(database.db, { deviceId, kind: "download", args: {} }, actor)).rejects.toThrow(
      /fileId or url/,
    );
    const audit = await database.db.auditEvent.count({ where: { action: "task.create" } });
    await createTask(database.db, { deviceId, kind: "reboot" }, actor);
    expect(await database.db.auditEvent.count({ where: { action: "task.create" } })).toBe(audit + 1);
    await database.db.task.deleteMany({});
  });

  it("claims due tasks oldest first, skips future ones and expires overdue ones", async () => {
    const now = new Date();
    const later = await createTask(
      database.db,
      { deviceId, kind: "reboot", notBefore: new Date(now.getTime() + 60_000) },
      actor,
    );
    const overdue = await createTask(
      database.db,
      { deviceId, kind: "factoryReset", expiresAt: new Date(now.getTime() + 1) },
      actor,
    );
    const first = await createTask(database.db, { deviceId, kind: "getRPCMethods" }, actor);
    // Tasks default to notBefore = the database's now(), a moment after `now`.
    const soon = new Date(Date.now() + 1_000);
    const claimed = await claimNextTask(database.db, deviceId, soon);
    expect(claimed?.id).toBe(first.id);
    expect(claimed).toMatchObject({ state: "running", attempts: 1 });
    expect((await database.db.task.findUniqueOrThrow({ where: { id: overdue.id } })).state).toBe("expired");
    expect(await claimNextTask(database.db, deviceId, soon)).toBeNull();
    expect((await claimNextTask(database.db, deviceId, new Date(now.getTime() + 61_000)))?.id).toBe(later.id);
    await database.db.task.deleteMany({});
  });

  it("waits for a short write on the task it claims instead of skipping it (the waker recording its outcome)", async () => {
    const task = await createTask(database.db, { deviceId, kind: "reboot" }, actor);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const waker = database.db.$transaction(async (tx) => {
      await tx.task.update({ where: { id: task.id }, data: { wakeOutcome: "delivered" } });
      locked();
      await released;
    });
    await isLocked;
    const claim = claimNextTask(database.db, deviceId, new Date(Date.now() + 1_000));
    setTimeout(release, 200);
    await waker;
    expect((await claim)?.id).toBe(task.id);
    await database.db.task.deleteMany({});
  });

  it("retries a transient fault later, with a growing delay, and gives up after the last attempt", async () => {
    const task = await createTask(database.db, { deviceId, kind: "getRPCMethods" }, actor);
    const now = new Date(Date.now() + 1_000);
    const claimed = (await claimNextTask(database.db, deviceId, now))!;
    await faultTask(database.db, claimed, { code: 9002, message: "Internal error" }, now);
    const retried = await database.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(retried).toMatchObject({ state: "pending", faultCode: 9002 });
    expect(retried.notBefore.getTime()).toBe(now.getTime() + 60_000);

    await faultTask(
      database.db,
      { id: task.id, attempts: MAX_ATTEMPTS },
      { code: 9002, message: "Internal error" },
      now,
    );
    expect((await database.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("fault");

    const final = await createTask(database.db, { deviceId, kind: "getRPCMethods" }, actor);
    await faultTask(database.db, { id: final.id, attempts: 1 }, { code: 9005, message: "Invalid parameter name" }, now);
    expect((await database.db.task.findUniqueOrThrow({ where: { id: final.id } })).state).toBe("fault");
    await database.db.task.deleteMany({});
  });

  it("requeues a task cut off mid-session, but not a transfer awaiting its TransferComplete, and gives up after MAX_ATTEMPTS", async () => {
    const now = new Date();
    const cut = await createTask(database.db, { deviceId, kind: "getRPCMethods" }, actor);
    const worn = await createTask(database.db, { deviceId, kind: "reboot" }, actor);
    const transfer = await createTask(
      database.db,
      { deviceId, kind: "download", args: { url: "http://x.invalid/f" } },
      actor,
    );
    await database.db.task.update({ where: { id: cut.id }, data: { state: "running", attempts: 1 } });
    await database.db.task.update({ where: { id: worn.id }, data: { state: "running", attempts: MAX_ATTEMPTS } });
    await database.db.task.update({
      where: { id: transfer.id },
      data: { state: "running", attempts: 1, result: { awaiting: "TransferComplete" } },
    });
    await database.db.$executeRaw`
      WITH d AS (SELECT ${deviceId}::uuid AS "id"), ${requeueInterruptedSql("d", now)} SELECT 1`;
    const states = await database.db.task.findMany({ where: { id: { in: [cut.id, worn.id, transfer.id] } } });
    const byId = new Map(states.map((t) => [t.id, t]));
    expect(byId.get(cut.id)?.state).toBe("pending");
    expect(byId.get(worn.id)).toMatchObject({ state: "fault", faultString: `interrupted ${MAX_ATTEMPTS} times` });
    expect(byId.get(transfer.id)?.state).toBe("running");
    await database.db.task.deleteMany({});
  });

  it("cancels a pending task only", async () => {
    const task = await createTask(database.db, { deviceId, kind: "reboot" }, actor);
    expect((await cancelTask(database.db, task.id, actor)).state).toBe("cancelled");
    await expect(cancelTask(database.db, task.id, actor)).rejects.toThrow(/can no longer be cancelled/);
  });
});

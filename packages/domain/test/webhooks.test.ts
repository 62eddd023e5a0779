import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordDomainEvent } from "../src/alarms/domain-events.ts";
import { checkoutRoom } from "../src/checkout/checkout-room.ts";
import { claimDevice } from "../src/provisioning/assignments.ts";
import { createRoomRange } from "../src/sites/rooms.ts";
import { claimNextTask } from "../src/tasks/task-queue.ts";
import { createTemplate } from "../src/templates/templates.ts";
import { loadTenantAccess, type TenantAccess } from "../src/tenancy/tenant-access.ts";
import { tenantScope } from "../src/tenancy/tenant-scope.ts";
import { createTenant } from "../src/tenants/tenants.ts";
import { dispatchWebhooksOnce, runWebhookDispatcher } from "../src/webhooks/dispatcher.ts";
import { nextWebhookAttempt, WEBHOOK_RETRY_WINDOW_MS, webhookRetryDelayMs } from "../src/webhooks/retry-schedule.ts";
import { isPublicAddress } from "../src/webhooks/webhook-url.ts";
import {
  createWebhook,
  listWebhookDeliveries,
  listWebhooks,
  replayWebhookDelivery,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhook,
} from "../src/webhooks/webhooks.ts";
import { createModelDevice, modelFor } from "./support/cpe-devices.ts";
import { actor, domainTree, finishTask } from "./support/domains.ts";

/**
 * Webhooks end to end: DomainEvent rows (recorded, or collected from finished tasks and checkouts) are delivered
 * by the dispatcher over real HTTP to a local receiver, which checks the signature with its own implementation of
 * the Standard Webhooks scheme (WebCrypto, not the code under test).
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  /** The status the next requests get. */
  answer: number;
  close: () => Promise<void>;
}

async function startReceiver(answer = 204): Promise<Receiver> {
  const receiver = { received: [] as Received[], answer } as Receiver;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    receiver.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
    response.writeHead(receiver.answer).end(receiver.answer >= 400 ? "not today" : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/beacon`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

/** Standard Webhooks verification as a receiver would write it: WebCrypto HMAC, 5-minute tolerance. */
async function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string): Promise<boolean> {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = await globalThis.crypto.subtle.importKey(
    "raw",
    Buffer.from(secret.split("_")[1]!, "base64"),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await globalThis.crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  const expected = Buffer.from(Buffer.from(mac).toString("base64"));
  return signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    const given = Buffer.from(signature ?? "");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe("webhooks", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;
  let owner: TenantAccess;
  let deviceId: string;
  let strangerId: string;
  const receivers: Receiver[] = [];

  const dispatch = (now?: () => Date) =>
    dispatchWebhooksOnce(db, { lagMs: 0, allowPrivateNetworks: true, timeoutMs: 3_000, now });
  const scoped = () => tenantScope(db, owner);

  async function receiver(answer?: number) {
    const started = await startReceiver(answer);
    receivers.push(started);
    return started;
  }

  async function hook(url: string, eventTypes: string[], tenantId = tree.integrator.id) {
    return createWebhook(scoped(), owner, {
      tenantId,
      url,
      description: "",
      eventTypes: eventTypes as never,
    });
  }

  const offlineAlarm = (tenantId: string, type: "alarm.raised" | "alarm.cleared", device = deviceId) =>
    recordDomainEvent(db, {
      tenantId,
      type,
      deviceId: device,
      subjectType: "alarm",
      subjectId: crypto.randomUUID(),
      payload: { type: "device.offline", severity: "major", message: "offline: no Inform for 2 h" },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "hooks");
    const stranger = await createTenant(db, {
      name: "Stranger integrator",
      kind: "integrator",
      parentId: tree.platform.id,
    });
    strangerId = stranger.id;
    const user = await db.user.create({
      data: {
        email: "owner@hooks.example.com",
        passwordHash: "scrypt$unused",
        memberships: { create: { tenantId: tree.integrator.id, role: "owner" } },
      },
    });
    owner = (await loadTenantAccess(db, user.id))!;
    deviceId = (await db.device.create({ data: { tenantId: tree.hotel.id, oui: "00A0C5", serialNumber: "HOOK0001" } }))
      .id;
    // The first round places the cursors: what happened before is not news.
    await dispatch();
  });

  afterAll(async () => {
    for (const r of receivers) await r.close();
    await database?.drop();
  });

  it("delivers a signed, thin message that an independent Standard Webhooks check accepts", async () => {
    const endpoint = await receiver();
    const { secret, webhook } = await hook(endpoint.url, ["alarm.raised", "device.offline"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await offlineAlarm(tree.hotel.id, "alarm.raised");

    const report = await dispatch();
    expect(report).toMatchObject({ queued: 2, delivered: 2 });
    expect(endpoint.received).toHaveLength(2);
    for (const { headers, body } of endpoint.received) {
      expect(await verifyStandardWebhook(secret, headers, body)).toBe(true);
      expect(await verifyStandardWebhook(secret, headers, `${body} `)).toBe(false);
      expect(headers["content-type"]).toBe("application/json");
    }
    const bodies = endpoint.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(bodies.map((b) => b.type).sort()).toEqual(["alarm.raised", "device.offline"]);
    expect(bodies.find((b) => b.type === "device.offline")).toMatchObject({
      data: { domainId: tree.hotel.id, deviceId },
    });
    expect(bodies.find((b) => b.type === "alarm.raised")?.data).toMatchObject({
      alarmType: "device.offline",
      severity: "major",
    });

    const deliveries = await listWebhookDeliveries(scoped(), owner, { webhookId: webhook.id });
    expect(deliveries.map((d) => d.state)).toEqual(["delivered", "delivered"]);
    expect(deliveries.map((d) => d.messageId).sort()).toEqual(
      endpoint.received.map((r) => r.headers["webhook-id"]).sort(),
    );
  });

  it("queues each event once however often the dispatcher reads it again", async () => {
    const endpoint = await receiver();
    const { webhook } = await hook(endpoint.url, ["alarm.cleared", "device.online"]);
    await offlineAlarm(tree.hotel.id, "alarm.cleared");
    // A long lag keeps the cursor behind the event, so each round reads it again.
    for (let i = 0; i < 3; i++) await dispatchWebhooksOnce(db, { lagMs: 60_000, allowPrivateNetworks: true });
    expect(endpoint.received.map((r) => JSON.parse(r.body).type).sort()).toEqual(["alarm.cleared", "device.online"]);
    expect(await db.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(2);
  });

  it("sends a domain's webhook the events of the domains below it and of no other", async () => {
    const endpoint = await receiver();
    await hook(endpoint.url, ["device.offline"], tree.hotel.id);
    const otherDevice = await db.device.create({
      data: { tenantId: tree.otherHotel.id, oui: "00A0C5", serialNumber: "HOOK0002" },
    });
    await offlineAlarm(tree.otherHotel.id, "alarm.raised", otherDevice.id);
    await offlineAlarm(strangerId, "alarm.raised", otherDevice.id);
    await dispatch();
    expect(endpoint.received).toHaveLength(0);
    await offlineAlarm(tree.hotel.id, "alarm.raised");
    await dispatch();
    expect(endpoint.received).toHaveLength(1);
  });

  it("signs with both secrets while one is rotated out, each verifiable on its own", async () => {
    const endpoint = await receiver();
    const { secret: before, webhook } = await hook(endpoint.url, ["fault"]);
    const rotated = await rotateWebhookSecret(scoped(), owner, { webhookId: webhook.id });
    expect(rotated.previousSecretExpiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await sendTestWebhook(scoped(), owner, { webhookId: webhook.id });
    await dispatch();
    const [message] = endpoint.received;
    expect(String(message!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(await verifyStandardWebhook(before, message!.headers, message!.body)).toBe(true);
    expect(await verifyStandardWebhook(rotated.secret, message!.headers, message!.body)).toBe(true);
    expect(JSON.parse(message!.body)).toMatchObject({ type: "webhook.test", data: { webhookId: webhook.id } });
    expect((await listWebhooks(scoped(), owner, { tenantId: tree.integrator.id }))[0]?.previousSecretExpiresAt).toEqual(
      rotated.previousSecretExpiresAt,
    );

    // A second rotation ends the oldest secret at once: never more than two sign.
    const again = await rotateWebhookSecret(scoped(), owner, { webhookId: webhook.id });
    await sendTestWebhook(scoped(), owner, { webhookId: webhook.id });
    await dispatch();
    const last = endpoint.received.at(-1)!;
    expect(String(last.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(await verifyStandardWebhook(before, last.headers, last.body)).toBe(false);
    expect(await verifyStandardWebhook(again.secret, last.headers, last.body)).toBe(true);
  });

  it("disables a webhook whose endpoint answers 410 Gone, and replays a delivery once it is enabled again", async () => {
    const endpoint = await receiver(410);
    const { webhook } = await hook(endpoint.url, ["alarm.raised"]);
    await offlineAlarm(tree.hotel.id, "alarm.raised");
    await dispatch();
    expect(endpoint.received).toHaveLength(1);
    const [view] = await listWebhooks(scoped(), owner, { tenantId: tree.integrator.id });
    expect(view).toMatchObject({ id: webhook.id, enabled: false, disabledReason: expect.stringContaining("410 Gone") });
    const [failed] = await listWebhookDeliveries(scoped(), owner, { webhookId: webhook.id });
    expect(failed).toMatchObject({ state: "failed", lastStatus: 410 });
    expect(await db.auditEvent.count({ where: { action: "webhook.disable", targetId: webhook.id } })).toBe(1);

    // Disabled: new events are not queued for it.
    await offlineAlarm(tree.hotel.id, "alarm.raised");
    await dispatch();
    expect(await db.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(1);

    endpoint.answer = 200;
    await updateWebhook(scoped(), owner, { webhookId: webhook.id, enabled: true });
    const replayed = await replayWebhookDelivery(scoped(), owner, { deliveryId: failed!.id });
    expect(replayed.state).toBe("pending");
    await dispatch();
    expect(endpoint.received).toHaveLength(2);
    expect(endpoint.received[1]!.headers["webhook-id"]).toBe(endpoint.received[0]!.headers["webhook-id"]);
    const [done] = await listWebhookDeliveries(scoped(), owner, { webhookId: webhook.id });
    expect(done).toMatchObject({ state: "delivered", attempts: 2 });
    expect(done!.history.map((h) => h.status)).toEqual([410, 200]);
  });

  it("retries a failing endpoint with growing, jittered delays and gives up after 72 hours", async () => {
    const endpoint = await receiver(503);
    const { webhook } = await hook(endpoint.url, ["device.offline"]);
    await offlineAlarm(tree.hotel.id, "alarm.raised");
    await dispatch();
    const first = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(first).toMatchObject({ state: "pending", attempts: 1, lastStatus: 503 });
    // The delay runs from the attempt's answer (recorded in its history), not from when it was claimed.
    const answeredAt = (d: { history: unknown }) => new Date((d.history as { at: string }[]).at(-1)!.at).getTime();
    const firstDelay = first.nextAttemptAt!.getTime() - answeredAt(first);
    expect(firstDelay).toBeGreaterThanOrEqual(24_000);
    expect(firstDelay).toBeLessThanOrEqual(36_000);

    const at = (date: Date) => () => new Date(date.getTime() + 1);
    await dispatch(at(first.nextAttemptAt!));
    const second = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(second.attempts).toBe(2);
    const secondDelay = second.nextAttemptAt!.getTime() - answeredAt(second);
    expect(secondDelay).toBeGreaterThanOrEqual(48_000);
    expect(secondDelay).toBeLessThanOrEqual(72_000);

    // Nothing is tried after the deadline: the attempt due then is the last.
    await dispatch(() => second.retryUntil);
    const last = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(last).toMatchObject({ state: "failed", attempts: 3, nextAttemptAt: null });
    expect(last.lastError).toMatch(/^gave up after 3 attempts: HTTP 503/);
    expect(endpoint.received).toHaveLength(3);
    expect(new Set(endpoint.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
  });

  it("follows an exponential schedule with jitter that fits in 72 hours", () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect([1, 2, 3, 4].map((n) => webhookRetryDelayMs(n, () => 0.5))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(webhookRetryDelayMs(1, low)).toBe(24_000);
    expect(webhookRetryDelayMs(1, high)).toBe(36_000);
    expect(webhookRetryDelayMs(40, () => 0.5)).toBe(8 * 3_600_000);

    const start = new Date("2026-01-01T00:00:00Z");
    const deadline = new Date(start.getTime() + WEBHOOK_RETRY_WINDOW_MS);
    const attempts = [start];
    for (let next = nextWebhookAttempt(1, start, deadline, () => 0.5); next; ) {
      attempts.push(next);
      next = nextWebhookAttempt(attempts.length, next, deadline, () => 0.5);
    }
    expect(attempts.at(-1)).toEqual(deadline);
    expect(attempts.length).toBeGreaterThan(15);
    expect(attempts.length).toBeLessThan(25);
  });

  it("turns finished tasks and completed checkouts into task.finished, fault and checkout.done", async () => {
    const endpoint = await receiver();
    await hook(endpoint.url, ["task.finished", "fault", "checkout.done"], tree.hotel.id);
    const task = await db.task.create({ data: { tenantId: tree.hotel.id, deviceId, kind: "reboot", args: {} } });
    await finishTask(db, task.id, { code: 9002, message: "Internal error" });
    await dispatch();
    const types = () =>
      endpoint.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(types()).toEqual([
      {
        type: "task.finished",
        timestamp: expect.any(String),
        data: expect.objectContaining({ taskId: task.id, state: "fault" }),
      },
      {
        type: "fault",
        timestamp: expect.any(String),
        data: {
          domainId: tree.hotel.id,
          deviceId,
          taskId: task.id,
          kind: "reboot",
          faultCode: 9002,
          faultString: "Internal error",
        },
      },
    ]);

    await createRoomRange(db, { siteId: tree.hotel.id, from: 501, to: 501 });
    await createTemplate(
      db,
      {
        tenantId: tree.hotel.id,
        name: "Guest WiFi",
        autoApply: true,
        settings: {
          "wifi.2g.passphrase": "{{room.passphrase}}",
          "checkout.passphrase": "{{room.number}}-{{random.digits(6)}}",
        },
      },
      actor,
    );
    const room = await db.room.findFirstOrThrow({ where: { tenantId: tree.hotel.id, number: "501" } });
    const roomDevice = await createModelDevice(db, tree.integrator.id, modelFor("huawei-eg8145v5").model);
    await claimDevice(db, { deviceId: roomDevice, roomId: room.id }, actor);
    const drain = async () => {
      for (
        let t = await claimNextTask(db, roomDevice, new Date());
        t;
        t = await claimNextTask(db, roomDevice, new Date())
      )
        await finishTask(db, t.id);
    };
    await drain();
    const checkout = await checkoutRoom(db, { siteId: tree.hotel.id, roomNumber: "501", actor });
    await drain();
    await dispatch();
    const done = types().filter((m) => m.type === "checkout.done");
    expect(done).toEqual([
      {
        type: "checkout.done",
        timestamp: expect.any(String),
        data: {
          domainId: tree.hotel.id,
          deviceId: roomDevice,
          checkoutId: checkout.checkoutId,
          roomId: room.id,
          roomNumber: "501",
        },
      },
    ]);
    expect((await db.checkout.findUniqueOrThrow({ where: { id: checkout.checkoutId } })).state).toBe("done");
  });

  it("runs rounds in the background until stopped", async () => {
    const endpoint = await receiver();
    await hook(endpoint.url, ["alarm.cleared"]);
    const errors: unknown[] = [];
    const dispatcher = runWebhookDispatcher(db, {
      intervalMs: 20,
      lagMs: 0,
      allowPrivateNetworks: true,
      onError: (error) => errors.push(error),
    });
    await offlineAlarm(tree.hotel.id, "alarm.cleared");
    for (let i = 0; i < 100 && endpoint.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await dispatcher.stop();
    expect(errors).toEqual([]);
    expect(endpoint.received).toHaveLength(1);
  });

  it("lets only owners manage webhooks, and only their domain's", async () => {
    const viewer = { ...owner, memberships: [{ tenantId: tree.integrator.id, role: "viewer" as const }] };
    await expect(
      createWebhook(tenantScope(db, viewer), viewer, {
        tenantId: tree.hotel.id,
        url: "https://example.com/hooks",
        description: "",
        eventTypes: ["fault"],
      }),
    ).rejects.toThrow("only an owner of this domain may add webhooks");
    await expect(
      createWebhook(scoped(), owner, {
        tenantId: strangerId,
        url: "https://example.com",
        description: "",
        eventTypes: ["fault"],
      }),
    ).rejects.toThrow("domain not found");
    const secrets = await scoped().webhookSecret.findMany();
    expect(secrets.length).toBeGreaterThan(0);
    for (const row of secrets) expect(row).not.toHaveProperty("secret");
  });

  it("refuses deliveries to private addresses unless the operator allows them", async () => {
    expect(
      ["127.0.0.1", "10.1.2.3", "169.254.169.254", "192.168.1.1", "::1", "fd00::1", "::ffff:127.0.0.1"].map(
        isPublicAddress,
      ),
    ).toEqual([false, false, false, false, false, false, false]);
    expect(["203.0.113.9", "8.8.8.8", "2606:4700::1111"].map(isPublicAddress)).toEqual([true, true, true]);
    const endpoint = await receiver();
    const { webhook } = await hook(endpoint.url, ["device.offline"]);
    await sendTestWebhook(scoped(), owner, { webhookId: webhook.id });
    await dispatchWebhooksOnce(db, { lagMs: 0, allowPrivateNetworks: false });
    expect(endpoint.received).toHaveLength(0);
    const [delivery] = await listWebhookDeliveries(scoped(), owner, { webhookId: webhook.id });
    expect(delivery).toMatchObject({ state: "pending", lastStatus: null });
    expect(delivery!.lastError).toMatch(/private address/);
  });
});

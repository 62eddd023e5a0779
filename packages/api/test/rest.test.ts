import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import {
  claimDevice,
  claimNextTask,
  createApiToken,
  createRoomRange,
  createTemplate,
  loadTenantAccess,
  revokeApiToken,
  type TenantAccess,
  tenantScope,
} from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { createModelDevice, modelFor } from "../../domain/test/support/cpe-devices.ts";
import { finishTask } from "../../domain/test/support/domains.ts";
import { REST_OPERATIONS } from "../src/rest/operations.ts";
import {
  AuditPage,
  CheckoutStarted,
  DeviceDetail,
  DevicePage,
  DomainList,
  ParameterList,
  ParameterSearch,
  Problem,
  TaskList,
  TokenInfo,
} from "../src/rest/schemas.ts";
import { startRestServer } from "./helpers/rest-server.ts";
import { BRAVO_MARK, seedTwoIntegrators, type TwoIntegrators } from "./helpers/two-integrators.ts";

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

const DAY = 86_400_000;

describe("the REST API", () => {
  let database: TestDatabase;
  let db: Db;
  let world: TwoIntegrators;
  let server: Awaited<ReturnType<typeof startRestServer>>;
  let ownerAccess: TenantAccess;
  const tokens = {} as Record<"owner" | "viewer" | "support" | "hotel" | "expired" | "revoked", string>;

  async function call(token: string | null, method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null };
  }

  function parsed<T extends z.ZodType>(schema: T, answer: Answer): z.output<T> {
    expect(answer.status, answer.text).toBeLessThan(300);
    return schema.parse(answer.body);
  }

  async function mint(role: Role, tenantId: string, expiresAt = new Date(Date.now() + 30 * DAY)) {
    const { token } = await createApiToken(tenantScope(db, ownerAccess), ownerAccess, {
      tenantId,
      name: `${role} token`,
      role,
      expiresAt,
    });
    return token;
  }

  const prefixOf = (token: string) => token.split("_").slice(0, 2).join("_");

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    world = await seedTwoIntegrators(db);
    server = await startRestServer(db);
    ownerAccess = (await loadTenantAccess(db, world.acme.ownerId))!;
    tokens.owner = await mint("owner", world.acme.id);
    tokens.viewer = await mint("viewer", world.acme.id);
    tokens.support = await mint("support", world.acme.id);
    tokens.hotel = await mint("operator", world.acme.hotelId);
    tokens.expired = await mint("owner", world.acme.id);
    await db.apiToken.update({
      where: { prefix: prefixOf(tokens.expired) },
      data: { expiresAt: new Date(Date.now() - DAY) },
    });
    tokens.revoked = await mint("owner", world.acme.id);
    const revoked = await db.apiToken.findUniqueOrThrow({ where: { prefix: prefixOf(tokens.revoked) } });
    await revokeApiToken(tenantScope(db, ownerAccess), ownerAccess, { tokenId: revoked.id });
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  describe("token authentication", () => {
    it("answers 401 with a Bearer challenge when no token is sent", async () => {
      const answer = await call(null, "GET", "/devices");
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="beacon"');
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(Problem.parse(answer.body).detail).toMatch(/Authorization: Bearer/);
    });

    it("answers 401 for a malformed token and for a well-formed one that does not exist", async () => {
      const malformed = await call("not-a-token", "GET", "/devices");
      expect(malformed.status).toBe(401);
      const forged = `${prefixOf(tokens.owner)}_${"A".repeat(43)}`;
      const unknown = await call(forged, "GET", "/devices");
      expect(unknown.status).toBe(401);
      expect(Problem.parse(unknown.body).detail).toBe("This API token is not valid.");
      expect(unknown.headers.get("www-authenticate")).toContain('error="invalid_token"');
    });

    it("answers 401 for an expired token and says that it expired", async () => {
      const answer = await call(tokens.expired, "GET", "/devices");
      expect(answer.status).toBe(401);
      expect(Problem.parse(answer.body).detail).toMatch(/^This API token expired on \d{4}-/);
    });

    it("answers 401 for a revoked token and says that it was revoked", async () => {
      const answer = await call(tokens.revoked, "GET", "/devices");
      expect(answer.status).toBe(401);
      expect(Problem.parse(answer.body).detail).toMatch(/^This API token was revoked on /);
    });

    it("lets a valid token in and says what it is", async () => {
      const info = parsed(TokenInfo, await call(tokens.support, "GET", "/token"));
      expect(info).toMatchObject({ prefix: prefixOf(tokens.support), role: "support", name: "support token" });
      expect(info.domain.id).toBe(world.acme.id);
      expect(info.domain.permissions).toContain("device.reboot");
    });

    it("never acts with more than its creator now holds, and stops when the creator holds nothing", async () => {
      const person = await db.user.create({
        data: {
          email: "fleeting-owner@acme.example.com",
          passwordHash: "scrypt$unused",
          memberships: { create: { tenantId: world.acme.id, role: "owner" } },
        },
        include: { memberships: true },
      });
      const access = (await loadTenantAccess(db, person.id))!;
      const { token } = await createApiToken(tenantScope(db, access), access, {
        tenantId: world.acme.id,
        name: "left with its creator",
        role: "owner",
        expiresAt: new Date(Date.now() + DAY),
      });
      await db.membership.update({ where: { id: person.memberships[0]!.id }, data: { role: "viewer" } });
      const demoted = await call(token, "POST", `/devices/${world.acme.deviceId}/tasks`, { kind: "reboot" });
      expect(demoted.status).toBe(403);
      expect(parsed(TokenInfo, await call(token, "GET", "/token")).role).toBe("viewer");
      await db.membership.delete({ where: { id: person.memberships[0]!.id } });
      const orphaned = await call(token, "GET", "/token");
      expect(orphaned.status).toBe(401);
      expect(Problem.parse(orphaned.body).detail).toMatch(/no longer holds a role/);
    });
  });

  describe("scope", () => {
    it("lists only the devices of the token's domain, a page at a time", async () => {
      const first = parsed(
        DevicePage,
        await call(tokens.viewer, "GET", "/devices?pageSize=1&sort=serialNumber&direction=asc"),
      );
      expect(first).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      expect(first.rows.map((d) => d.serialNumber)).toEqual(["ACME0001"]);
      const second = parsed(
        DevicePage,
        await call(tokens.viewer, "GET", "/devices?pageSize=1&sort=serialNumber&direction=asc&page=2"),
      );
      expect(second.rows.map((d) => d.serialNumber)).toEqual(["ACME0002"]);
      const search = await call(tokens.owner, "GET", `/devices?search=${encodeURIComponent(BRAVO_MARK)}`);
      expect(parsed(DevicePage, search).total).toBe(0);
      expect(search.text).not.toContain(BRAVO_MARK);
    });

    it("answers 404 for another integrator's device, exactly as for one that does not exist", async () => {
      for (const path of [`/devices/${world.bravo.deviceId}`, `/devices/${world.bravo.deviceId}/parameters`]) {
        const real = await call(tokens.owner, "GET", path);
        const phantom = await call(tokens.owner, "GET", path.replace(world.bravo.deviceId, crypto.randomUUID()));
        expect(real.status, path).toBe(404);
        expect(real.body).toEqual(phantom.body);
        expect(real.text).not.toContain(BRAVO_MARK);
      }
      const reboot = await call(tokens.owner, "POST", `/devices/${world.bravo.deviceId}/tasks`, { kind: "reboot" });
      expect(reboot.status).toBe(404);
      expect(
        await db.task.count({ where: { deviceId: world.bravo.deviceId, createdBy: { startsWith: "token:" } } }),
      ).toBe(0);
      expect((await call(tokens.owner, "GET", `/domains/${world.bravo.id}`)).status).toBe(404);
      expect((await call(tokens.owner, "GET", `/audit?domainId=${world.bravo.id}`)).status).toBe(404);
      expect((await call(tokens.owner, "POST", `/sites/${world.bravo.hotelId}/rooms/101/checkout`, {})).status).toBe(
        404,
      );
    });

    it("keeps a token of a hotel below the integrator inside that hotel", async () => {
      const devices = parsed(DevicePage, await call(tokens.hotel, "GET", "/devices"));
      expect(devices.rows.map((d) => d.id)).toEqual([world.acme.deviceId]);
      expect((await call(tokens.hotel, "GET", `/devices/${world.acme.otherDeviceId}`)).status).toBe(404);
      const domains = parsed(DomainList, await call(tokens.hotel, "GET", "/domains"));
      expect(domains.map((d) => d.id)).toEqual([world.acme.hotelId]);
    });

    it("reads a device, its parameters and its tasks", async () => {
      const device = parsed(DeviceDetail, await call(tokens.viewer, "GET", `/devices/${world.acme.deviceId}`));
      expect(device).toMatchObject({ serialNumber: "ACME0001", status: "online" });
      expect(device.permissions).not.toContain("device.reboot");
      const roots = parsed(
        ParameterList,
        await call(tokens.viewer, "GET", `/devices/${world.acme.deviceId}/parameters`),
      );
      expect(roots.map((p) => p.name)).toEqual(["Device."]);
      const found = parsed(
        ParameterSearch,
        await call(tokens.viewer, "GET", `/devices/${world.acme.deviceId}/parameters/search?query=SoftwareVersion`),
      );
      expect(found.matches).toMatchObject([{ name: "Device.DeviceInfo.SoftwareVersion", value: "1.0" }]);
      parsed(TaskList, await call(tokens.viewer, "GET", `/devices/${world.acme.deviceId}/tasks`));
    });
  });

  describe("roles", () => {
    it("refuses a viewer token a reboot with 403 and a sentence, and queues nothing", async () => {
      const before = await db.task.count({ where: { deviceId: world.acme.deviceId } });
      const answer = await call(tokens.viewer, "POST", `/devices/${world.acme.deviceId}/tasks`, { kind: "reboot" });
      expect(answer.status).toBe(403);
      expect(Problem.parse(answer.body).detail).toBe("Your role here does not allow rebooting devices.");
      expect(await db.task.count({ where: { deviceId: world.acme.deviceId } })).toBe(before);
    });

    it("lets a support token reboot and refresh, but not set parameter values", async () => {
      const reboot = await call(tokens.support, "POST", `/devices/${world.acme.deviceId}/tasks`, { kind: "reboot" });
      expect(reboot.status, reboot.text).toBe(201);
      const { id } = reboot.body as { id: string };
      const task = await db.task.findUniqueOrThrow({ where: { id } });
      expect(task).toMatchObject({ kind: "reboot", state: "pending", createdBy: `token:${prefixOf(tokens.support)}` });
      const refresh = await call(tokens.support, "POST", `/devices/${world.acme.deviceId}/tasks`, {
        kind: "refresh",
        path: "Device.DeviceInfo.",
      });
      expect(refresh.status).toBe(201);
      const set = await call(tokens.support, "POST", `/devices/${world.acme.deviceId}/tasks`, {
        kind: "setParameterValues",
        values: [{ name: "Device.DeviceInfo.SoftwareVersion", value: "2.0" }],
      });
      expect(set.status).toBe(403);
      const tasks = parsed(TaskList, await call(tokens.viewer, "GET", `/devices/${world.acme.deviceId}/tasks`));
      expect(tasks.map((t) => t.summary)).toEqual(expect.arrayContaining(["Reboot", "Refresh Device.DeviceInfo."]));
    });

    it("lets an owner token set values, and the device still refuses read-only ones", async () => {
      const answer = await call(tokens.owner, "POST", `/devices/${world.acme.deviceId}/tasks`, {
        kind: "setParameterValues",
        values: [{ name: "Device.DeviceInfo.SoftwareVersion", value: "2.0" }],
      });
      expect(answer.status).toBe(400);
      expect(Problem.parse(answer.body).detail).toBe("Device.DeviceInfo.SoftwareVersion is read-only on this device.");
    });
  });

  describe("input", () => {
    it("answers 400 naming the field for invalid query, path and body input", async () => {
      const size = await call(tokens.viewer, "GET", "/devices?pageSize=1000");
      expect(size.status).toBe(400);
      expect(Problem.parse(size.body).errors).toHaveProperty("pageSize");
      expect((await call(tokens.viewer, "GET", "/devices/not-a-uuid")).status).toBe(400);
      const kind = await call(tokens.owner, "POST", `/devices/${world.acme.deviceId}/tasks`, { kind: "explode" });
      expect(kind.status).toBe(400);
      expect(Problem.parse(kind.body).errors).toHaveProperty("kind");
      const broken = await call(tokens.owner, "POST", `/devices/${world.acme.deviceId}/tasks`, "{not json");
      expect(broken.status).toBe(400);
      expect(Problem.parse(broken.body).detail).toBe("The request body is not valid JSON.");
    });

    it("answers 404 for an unknown path and 405 with Allow for a wrong method", async () => {
      expect((await call(tokens.viewer, "GET", "/nothing-here")).status).toBe(404);
      const wrong = await call(tokens.viewer, "DELETE", `/devices/${world.acme.deviceId}`);
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get("allow")).toBe("GET");
    });
  });

  describe("audit", () => {
    it("records every call made with a token, refused ones included, as token:<prefix>", async () => {
      const token = await mint("viewer", world.acme.id);
      const actorLabel = `token:${prefixOf(token)}`;
      await call(token, "GET", "/devices");
      await call(token, "GET", `/devices/${world.bravo.deviceId}`);
      await call(token, "POST", `/devices/${world.acme.deviceId}/tasks`, { kind: "reboot" });
      const rows = await db.auditEvent.findMany({ where: { actorLabel }, orderBy: { createdAt: "asc" } });
      expect(rows.map((r) => [r.action, r.tenantId, (r.after as { status: number }).status])).toEqual([
        ["api.call", world.acme.id, 200],
        ["api.call", world.acme.id, 404],
        ["api.call", world.acme.id, 403],
      ]);
      expect(rows[2]!.after).toMatchObject({ method: "POST", operation: "createDeviceTask" });

      await call(tokens.expired, "GET", "/devices");
      const refused = await db.auditEvent.findFirst({
        where: { actorLabel: `token:${prefixOf(tokens.expired)}` },
        orderBy: { createdAt: "desc" },
      });
      expect(refused?.after).toMatchObject({ status: 401 });
    });

    it("shows the token's calls in the audit log it can read", async () => {
      const page = parsed(
        AuditPage,
        await call(tokens.viewer, "GET", `/audit?domainId=${world.acme.id}&actor=token:&pageSize=200`),
      );
      expect(page.total).toBeGreaterThan(0);
      expect(page.rows.every((r) => r.actorLabel.startsWith("token:"))).toBe(true);
      expect(page.rows.some((r) => r.action === "device.reboot")).toBe(true);
    });
  });

  describe("hotel checkout by room number", () => {
    let deviceId: string;

    beforeAll(async () => {
      const actor = { label: "setup@acme.example.com" };
      await createRoomRange(db, { siteId: world.acme.hotelId, from: 301, to: 302 });
      await createTemplate(
        db,
        {
          tenantId: world.acme.hotelId,
          name: "Guest WiFi",
          autoApply: true,
          settings: {
            "wifi.2g.ssid": "Lisbon-{{room.number}}",
            "wifi.2g.passphrase": "{{room.passphrase}}",
            "checkout.passphrase": "{{room.number}}-{{random.digits(6)}}",
          },
        },
        actor,
      );
      const room = await db.room.findFirstOrThrow({ where: { tenantId: world.acme.hotelId, number: "301" } });
      deviceId = await createModelDevice(db, world.acme.id, modelFor("huawei-eg8145v5").model);
      await claimDevice(db, { deviceId, roomId: room.id }, actor);
      for (let task = await claimNextTask(db, deviceId, new Date()); task; ) {
        await finishTask(db, task.id);
        task = await claimNextTask(db, deviceId, new Date());
      }
    });

    it("checks a room out for a property-management system and shows it the new passphrase", async () => {
      const answer = await call(tokens.support, "POST", `/sites/${world.acme.hotelId}/rooms/301/checkout`, {
        reboot: true,
      });
      const checkout = parsed(CheckoutStarted, answer);
      expect(answer.status).toBe(201);
      expect(checkout).toMatchObject({ roomNumber: "301", state: "pending", deviceId, reboot: true });
      expect(checkout.passphrase).toMatch(/^301-\d{6}$/);
      const followed = await call(tokens.viewer, "GET", `/checkouts/${checkout.id}`);
      expect(followed.body).toMatchObject({ id: checkout.id, state: "pending", passphrase: null });
      const audit = await db.auditEvent.findFirstOrThrow({
        where: { action: "room.checkout", targetId: checkout.roomId },
      });
      expect(audit.actorLabel).toBe(`token:${prefixOf(tokens.support)}`);
    });

    it("answers 404 for a room number the site does not have and 403 for a viewer", async () => {
      const missing = await call(tokens.support, "POST", `/sites/${world.acme.hotelId}/rooms/999/checkout`);
      expect(missing.status).toBe(404);
      expect(Problem.parse(missing.body).detail).toBe("Room 999 not found.");
      const viewer = await call(tokens.viewer, "POST", `/sites/${world.acme.hotelId}/rooms/301/checkout`);
      expect(viewer.status).toBe(403);
      expect(Problem.parse(viewer.body).detail).toBe("Your role here does not allow checking rooms out.");
    });
  });

  describe("tokens and webhooks through the API", () => {
    it("lets an owner token create a token for a domain below, shown once, that works at once", async () => {
      const expiresAt = new Date(Date.now() + 7 * DAY).toISOString();
      const answer = await call(tokens.owner, "POST", `/domains/${world.acme.hotelId}/tokens`, {
        name: "Front desk",
        role: "support",
        expiresAt,
      });
      expect(answer.status, answer.text).toBe(201);
      const { token, apiToken } = answer.body as { token: string; apiToken: { prefix: string; role: string } };
      expect(token).toMatch(/^bcn_[0-9a-f]{8}_/);
      expect(apiToken.role).toBe("support");
      const info = parsed(TokenInfo, await call(token, "GET", "/token"));
      expect(info).toMatchObject({ name: "Front desk", role: "support" });
      expect(info.domain.id).toBe(world.acme.hotelId);
      // Listed afterwards without its secret.
      const listed = await call(tokens.owner, "GET", `/domains/${world.acme.hotelId}/tokens`);
      expect(listed.text).toContain(apiToken.prefix);
      expect(listed.text).not.toContain(token);
    });

    it("refuses a token for a non-owner token, and one outliving the token that asks", async () => {
      const body = { name: "More", role: "viewer", expiresAt: new Date(Date.now() + DAY).toISOString() };
      const viewer = await call(tokens.viewer, "POST", `/domains/${world.acme.id}/tokens`, body);
      expect(viewer.status).toBe(403);
      expect(Problem.parse(viewer.body)).toMatchObject({ code: "forbidden" });
      const later = await call(tokens.owner, "POST", `/domains/${world.acme.id}/tokens`, {
        ...body,
        expiresAt: new Date(Date.now() + 60 * DAY).toISOString(),
      });
      expect(later.status).toBe(400);
      expect(Problem.parse(later.body).detail).toMatch(/expire no later than itself/);
    });

    it("creates, lists and deletes a webhook; a deletion answers 204", async () => {
      const created = await call(tokens.owner, "POST", `/domains/${world.acme.id}/webhooks`, {
        url: "https://pms.example.com/hooks",
        eventTypes: ["checkout.done"],
      });
      expect(created.status, created.text).toBe(201);
      const { webhook, secret } = created.body as { webhook: { id: string }; secret: string };
      expect(secret).toMatch(/^whsec_/);
      const listed = await call(tokens.owner, "GET", `/domains/${world.acme.id}/webhooks`);
      expect(listed.text).toContain(webhook.id);
      expect(listed.text).not.toContain(secret);
      const deleted = await call(tokens.owner, "DELETE", `/webhooks/${webhook.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe("");
    });
  });

  describe("OpenAPI document", () => {
    it("is served without a token as an OpenAPI 3.1 document whose every reference resolves", async () => {
      const answer = await call(null, "GET", "/openapi.json");
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("application/json");
      const document = answer.body as {
        openapi: string;
        paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
        components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
        webhooks: Record<string, unknown>;
      };
      expect(document.openapi).toBe("3.1.0");
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          "/devices",
          "/devices/{deviceId}",
          "/devices/{deviceId}/parameters",
          "/devices/{deviceId}/tasks",
          "/domains",
          "/audit",
          "/sites/{siteId}/rooms/{roomNumber}/checkout",
        ]),
      );
      expect(Object.keys(document.paths["/devices/{deviceId}/tasks"]!).sort()).toEqual(["get", "post"]);
      const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
      const ids = operations.map((o) => o.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(REST_OPERATIONS.map((r) => r.operationId)));
      expect(Object.keys(document.webhooks)).toEqual(expect.arrayContaining(["device.offline", "checkout.done"]));
      expect(document.components.securitySchemes).toHaveProperty("bearerAuth");
      const refs = [...answer.text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(10);
      for (const ref of refs) expect(document.components.schemas, ref).toHaveProperty(ref);
    });
  });
});

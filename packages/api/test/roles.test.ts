import { randomUUID } from "node:crypto";
import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { ensurePlatformTenant } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

/** What each role may do to a device and a domain, through the API (owner > operator > support > viewer). */
describe("roles", () => {
  let database: TestDatabase;
  let db: Db;
  let server: ApiServer;
  const users = {} as Record<Role, string>;
  let hotelId: string;
  let siteId: string;
  let deviceId: string;

  const act = (role: Role, path: string, input: unknown) =>
    callProcedure(server.url, users[role], path, "mutation", input);
  const reboot = { kind: "reboot" };
  const refresh = { kind: "refresh", path: "Device.WiFi." };
  const setSsid = { kind: "setParameterValues", values: [{ name: "Device.WiFi.SSID.1.SSID", value: "Lobby" }] };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const platform = await ensurePlatformTenant(db);
    hotelId = randomUUID();
    await db.tenant.create({
      data: { id: hotelId, name: "Hotel", kind: "hotel", parentId: platform.id, ancestorIds: [platform.id, hotelId] },
    });
    siteId = randomUUID();
    await db.tenant.create({
      data: { id: siteId, name: "Annex", kind: "site", parentId: hotelId, ancestorIds: [platform.id, hotelId, siteId] },
    });
    for (const role of ["owner", "operator", "support", "viewer"] as const) {
      const user = await db.user.create({
        data: {
          email: `${role}@hotel.example.com`,
          passwordHash: "x",
          memberships: { create: { tenantId: hotelId, role } },
        },
      });
      users[role] = user.id;
    }
    const device = await db.device.create({ data: { tenantId: hotelId, oui: "001122", serialNumber: "ROOM-101" } });
    deviceId = device.id;
    await db.deviceParameter.createMany({
      data: [
        { deviceId, name: "Device.WiFi.SSID.1.SSID", value: "Guest", type: "xsd:string", writable: true },
        { deviceId, name: "Device.DeviceInfo.SerialNumber", value: "ROOM-101", type: "xsd:string", writable: false },
      ],
    });
    server = await startApiServer(db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("lets support reboot and refresh a device but not change a parameter, reset it or move it", async () => {
    expect((await act("support", "devices.act", { deviceId, action: reboot })).status).toBe(200);
    expect((await act("support", "devices.act", { deviceId, action: refresh })).status).toBe(200);
    const set = await act("support", "devices.act", { deviceId, action: setSsid });
    expect(set.error).toEqual({
      code: "FORBIDDEN",
      message: "Your role here does not allow changing device parameters.",
    });
    expect((await act("support", "devices.act", { deviceId, action: { kind: "factoryReset" } })).error?.code).toBe(
      "FORBIDDEN",
    );
    expect((await act("support", "devices.move", { deviceIds: [deviceId], tenantId: siteId })).error?.code).toBe(
      "FORBIDDEN",
    );
  });

  it("lets a viewer read everything and change nothing", async () => {
    const reads = [
      ["devices.get", { deviceId }],
      ["devices.list", { tenantId: hotelId }],
      ["devices.parameters", { deviceId, prefix: "" }],
      ["audit.list", { tenantId: hotelId }],
      ["dashboard.summary", { tenantId: hotelId }],
    ] as const;
    for (const [path, input] of reads) {
      expect((await callProcedure(server.url, users.viewer, path, "query", input)).status, path).toBe(200);
    }
    const changes = [
      ["devices.act", { deviceId, action: reboot }],
      ["devices.act", { deviceId, action: refresh }],
      ["devices.act", { deviceId, action: setSsid }],
      ["devices.move", { deviceIds: [deviceId], tenantId: siteId }],
      ["domains.create", { parentId: hotelId, name: "Spa", kind: "site" }],
      ["domains.rename", { id: siteId, name: "Spa" }],
      [
        "users.invite",
        { email: "new@hotel.example.com", password: "long-enough-password", tenantId: hotelId, role: "viewer" },
      ],
    ] as const;
    for (const [path, input] of changes) {
      expect((await act("viewer", path, input)).error?.code, path).toBe("FORBIDDEN");
    }
    expect(await db.task.count({ where: { createdBy: "viewer@hotel.example.com" } })).toBe(0);
  });

  it("lets an operator set a writable parameter and explains why a read-only one cannot be set", async () => {
    const set = await act("operator", "devices.act", { deviceId, action: setSsid });
    expect(set.status).toBe(200);
    const task = await db.task.findUniqueOrThrow({ where: { id: (set.data as { id: string }).id } });
    expect(task).toMatchObject({
      kind: "setParameterValues",
      state: "pending",
      tenantId: hotelId,
      args: { values: [{ name: "Device.WiFi.SSID.1.SSID", value: "Lobby", type: "xsd:string" }] },
    });
    const readOnly = await act("operator", "devices.act", {
      deviceId,
      action: { kind: "setParameterValues", values: [{ name: "Device.DeviceInfo.SerialNumber", value: "X" }] },
    });
    expect(readOnly.error).toEqual({
      code: "BAD_REQUEST",
      message: "Device.DeviceInfo.SerialNumber is read-only on this device.",
    });
  });

  it("keeps domains and users to owners, and records every change in the audit log", async () => {
    expect(
      (await act("operator", "domains.create", { parentId: hotelId, name: "Spa", kind: "site" })).error?.code,
    ).toBe("FORBIDDEN");
    expect((await act("owner", "domains.create", { parentId: hotelId, name: "Spa", kind: "site" })).status).toBe(200);
    expect((await act("owner", "devices.move", { deviceIds: [deviceId], tenantId: siteId })).data).toEqual({
      moved: 1,
    });
    const actions = await db.auditEvent.findMany({
      orderBy: { createdAt: "asc" },
      select: { action: true, actorLabel: true },
    });
    expect(actions).toEqual([
      { action: "device.reboot", actorLabel: "support@hotel.example.com" },
      { action: "device.refresh", actorLabel: "support@hotel.example.com" },
      { action: "device.setParameterValues", actorLabel: "operator@hotel.example.com" },
      { action: "domain.create", actorLabel: "owner@hotel.example.com" },
      { action: "device.move", actorLabel: "owner@hotel.example.com" },
    ]);
  });
});

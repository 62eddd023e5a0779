import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import {
  applyParameterEffects,
  claimDevice,
  collectStateChanges,
  createApiToken,
  createRoom,
  isCpeCredentialParameter,
  isSecretParameter,
  loadTenantAccess,
  maskSecrets,
  tenantScope,
  webhookEventsOf,
} from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishTask } from "../../domain/test/support/domains.ts";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { seedHotelStaff } from "./helpers/hotel-staff.ts";
import { startRestServer } from "./helpers/rest-server.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

const WIFI = "Device.WiFi.AccessPoint.1.Security.";
const PASSPHRASE = `${WIFI}KeyPassphrase`;
const VENDOR_PSK = "Device.X_ACME_Wlan.1.X_ACME_WPAPSK";
const STORED_PASSPHRASE = "stored-guest-passphrase-7731";
const STORED_VENDOR_PSK = "vendor-psk-5521";
const NEW_PASSPHRASE = "operator-typed-passphrase-4410";

describe("which parameters are secrets", () => {
  it.each([
    ["Device.WiFi.AccessPoint.1.Security.KeyPassphrase", true],
    ["Device.WiFi.AccessPoint.1.Security.PreSharedKey", true],
    ["Device.WiFi.AccessPoint.1.Security.SAEPassphrase", true],
    ["Device.WiFi.AccessPoint.1.Security.RadiusSecret", true],
    ["InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.WEPKey.2.WEPKey", true],
    ["InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.1.KeyPassphrase", true],
    ["Device.ManagementServer.Password", true],
    ["Device.ManagementServer.ConnectionRequestPassword", true],
    ["Device.Users.User.1.Password", true],
    ["Device.Services.VoiceService.1.SIP.Client.1.AuthPassword", true],
    ["Device.Cellular.AccessPoint.1.Password", true],
    ["Device.X_HUAWEI_Wlan.1.X_HUAWEI_WPAPSK", true],
    ["InternetGatewayDevice.X_TP_Admin.X_TP_Passwd", true],
    ["Device.X_ZYXEL_Ext.X_ZYXEL_WebKey", true],
    ["Device.WiFi.AccessPoint.1.Security.ModeEnabled", false],
    ["Device.WiFi.SSID.1.SSID", false],
    ["InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.WEPKeyIndex", false],
    ["Device.ManagementServer.Username", false],
    ["Device.Users.User.1.PasswordReset", false],
    ["Device.WiFi.AccessPoint.1.Security.PreSharedKey.", false],
  ])("%s is secret: %s", (name, secret) => {
    expect(isSecretParameter(name)).toBe(secret);
  });

  it("masks {name, value} pairs and parameter-path keys anywhere in a JSON value", () => {
    expect(
      maskSecrets({
        values: [
          { name: PASSPHRASE, value: "x" },
          { name: "Device.WiFi.SSID.1.SSID", value: "Lobby" },
        ],
        settings: { [PASSPHRASE]: "y", "Device.WiFi.SSID.1.SSID": "Lobby" },
      }),
    ).toEqual({
      values: [
        { name: PASSPHRASE, value: "••••" },
        { name: "Device.WiFi.SSID.1.SSID", value: "Lobby" },
      ],
      settings: { [PASSPHRASE]: "••••", "Device.WiFi.SSID.1.SSID": "Lobby" },
    });
  });

  it("treats only the CPE's management and connection-request passwords as never stored", () => {
    expect(isCpeCredentialParameter("InternetGatewayDevice.ManagementServer.Password")).toBe(true);
    expect(isCpeCredentialParameter("Device.ManagementServer.ConnectionRequestPassword")).toBe(true);
    expect(isCpeCredentialParameter(PASSPHRASE)).toBe(false);
  });
});

/** A hotel's staff read a room's device: only what a passphrase is, never the passphrase. */
describe("secrets by role", () => {
  let database: TestDatabase;
  let db: Db;
  let api: ApiServer;
  let rest: Awaited<ReturnType<typeof startRestServer>>;
  const users = {} as Record<Role, string>;
  const tokens = {} as Record<Role, string>;
  let hotelId: string;
  let deviceId: string;
  let roomId: string;
  let checkoutPassphrase: string;

  const act = (role: Role, path: string, input: unknown) =>
    callProcedure(api.url, users[role], path, "mutation", input);
  const read = (role: Role, path: string, input: unknown) => callProcedure(api.url, users[role], path, "query", input);
  const restGet = async (role: Role, path: string) => {
    const response = await fetch(`${rest.url}/api/v1${path}`, { headers: { authorization: `Bearer ${tokens[role]}` } });
    return { status: response.status, text: await response.text() };
  };
  const secrets = () => [STORED_PASSPHRASE, STORED_VENDOR_PSK, NEW_PASSPHRASE, checkoutPassphrase];
  const expectNoSecret = (text: string) => {
    for (const secret of secrets()) expect(text).not.toContain(secret);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const staff = await seedHotelStaff(db);
    hotelId = staff.hotelId;
    Object.assign(users, staff.users);
    const device = await db.device.create({
      data: { tenantId: hotelId, oui: "001122", serialNumber: "ROOM-201", dataModelRoot: "Device" },
    });
    deviceId = device.id;
    await db.deviceParameter.createMany({
      data: [
        { deviceId, name: PASSPHRASE, value: STORED_PASSPHRASE, type: "xsd:string", writable: true },
        { deviceId, name: `${WIFI}ModeEnabled`, value: "WPA2-Personal", type: "xsd:string", writable: true },
        { deviceId, name: VENDOR_PSK, value: STORED_VENDOR_PSK, type: "xsd:string", writable: true },
      ],
    });
    roomId = (await createRoom(db, { siteId: hotelId, number: "201" })).id;
    await claimDevice(db, { deviceId, roomId }, { label: "setup" });
    api = await startApiServer(db);
    rest = await startRestServer(db);
    const owner = (await loadTenantAccess(db, users.owner))!;
    for (const role of ["owner", "operator", "support", "viewer"] as const) {
      tokens[role] = (
        await createApiToken(tenantScope(db, owner), owner, {
          tenantId: hotelId,
          name: role,
          role,
          expiresAt: new Date(Date.now() + 86_400_000),
        })
      ).token;
    }
    // Secrets enter the history the ways they do in a hotel: an operator types one, a checkout generates one.
    await collectStateChanges(db, { lagMs: 0 });
    const set = await act("operator", "devices.act", {
      deviceId,
      action: { kind: "setParameterValues", values: [{ name: PASSPHRASE, value: NEW_PASSPHRASE }] },
    });
    expect(set.status, set.text).toBe(200);
    const checkout = await act("support", "checkout.room", { roomId });
    expect(checkout.status, checkout.text).toBe(200);
    checkoutPassphrase = (checkout.data as { passphrase: string }).passphrase;
    for (const task of await db.task.findMany({ where: { deviceId } })) await finishTask(db, task.id);
  });

  afterAll(async () => {
    await api?.close();
    await rest?.close();
    await database?.drop();
  });

  it.each(["viewer", "support"] as const)(
    "shows a %s the passphrase as •••• in the parameter tree and search",
    async (role) => {
      const level = await read(role, "devices.parameters", { deviceId, prefix: WIFI });
      expect(level.status, level.text).toBe(200);
      expect(level.data).toContainEqual(expect.objectContaining({ name: PASSPHRASE, value: "••••", secret: true }));
      expect(level.data).toContainEqual(
        expect.objectContaining({ name: `${WIFI}ModeEnabled`, value: "WPA2-Personal", secret: false }),
      );
      const byName = await read(role, "devices.searchParameters", { deviceId, query: "psk" });
      expect(byName.data).toMatchObject({ matches: [{ name: VENDOR_PSK, value: "••••", secret: true }] });
      // Searching by the value would confirm a guess: a secret is found by its name only.
      const byValue = await read(role, "devices.searchParameters", { deviceId, query: NEW_PASSPHRASE.slice(0, 12) });
      expect(byValue.data).toEqual({ matches: [], truncated: false });
      expectNoSecret(level.text + byName.text + byValue.text);
    },
  );

  it.each(["viewer", "support"] as const)(
    "masks secrets in a %s's task history, audit log and its CSV",
    async (role) => {
      const tasks = await read(role, "devices.tasks", { deviceId });
      expect(tasks.text).toContain(`Set ${PASSPHRASE} to \\"••••\\"`);
      const audit = await read(role, "audit.list", { tenantId: hotelId });
      expect(audit.status, audit.text).toBe(200);
      const actions = (audit.data as { rows: { action: string }[] }).rows.map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(["device.setParameterValues", "task.create"]));
      const csv = await read(role, "audit.exportCsv", { tenantId: hotelId });
      expect(csv.text).toContain("••••");
      expectNoSecret(tasks.text + audit.text + csv.text);
    },
  );

  it("writes audit rows already masked, so the database holds no typed or generated secret there", async () => {
    const rows = await db.auditEvent.findMany({ where: { deviceId } });
    expect(rows.length).toBeGreaterThan(2);
    expectNoSecret(JSON.stringify(rows));
  });

  it.each(["viewer", "support", "owner"] as const)("masks secrets in the REST API for a %s token", async (role) => {
    const parameters = await restGet(role, `/devices/${deviceId}/parameters/search?query=KeyPassphrase`);
    expect(parameters.status, parameters.text).toBe(200);
    expect(JSON.parse(parameters.text).matches).toContainEqual(
      expect.objectContaining({ name: PASSPHRASE, value: "••••", secret: true }),
    );
    const tasks = await restGet(role, `/devices/${deviceId}/tasks`);
    const audit = await restGet(role, `/audit?domainId=${hotelId}`);
    expect(audit.status, audit.text).toBe(200);
    expectNoSecret(parameters.text + tasks.text + audit.text);
  });

  it("sends webhooks no secret: a finished passphrase change carries ids and states only", async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await collectStateChanges(db, { lagMs: 0 });
    const events = await db.domainEvent.findMany({ where: { deviceId } });
    expect(events.map((e) => e.type)).toContain("task.finished");
    const bodies = JSON.stringify(events.flatMap((e) => webhookEventsOf(e)));
    expect(bodies).toContain("setParameterValues");
    expectNoSecret(bodies);
  });

  it("refuses to reveal a secret to a viewer or support, and reveals it to an operator with an audit row", async () => {
    for (const role of ["viewer", "support"] as const) {
      const refused = await act(role, "devices.revealParameter", { deviceId, name: PASSPHRASE });
      expect(refused.error).toEqual({
        code: "FORBIDDEN",
        message: "Your role here does not allow revealing passwords, passphrases and keys.",
      });
    }
    expect(await db.auditEvent.count({ where: { action: "device.revealSecret" } })).toBe(0);
    const revealed = await act("operator", "devices.revealParameter", { deviceId, name: PASSPHRASE });
    const stored = await db.deviceParameter.findFirstOrThrow({ where: { deviceId, name: PASSPHRASE } });
    expect(secrets()).toContain(stored.value);
    expect(revealed.data).toEqual({ name: PASSPHRASE, value: stored.value });
    const audit = await db.auditEvent.findMany({ where: { action: "device.revealSecret" } });
    expect(audit).toMatchObject([
      { actorLabel: "operator@hotel.example.com", deviceId, targetId: PASSPHRASE, after: { parameter: PASSPHRASE } },
    ]);
    expectNoSecret(JSON.stringify(audit));
  });

  it("never stores the CPE's management or connection-request password as a parameter value", async () => {
    const ms = "Device.ManagementServer.";
    await db.$transaction((tx) =>
      applyParameterEffects(
        tx,
        deviceId,
        {
          values: [
            { name: `${ms}Username`, value: "cpe-user" },
            { name: `${ms}Password`, value: "cpe-management-password" },
            { name: `${ms}ConnectionRequestPassword`, value: "cpe-cr-password" },
          ],
        },
        new Date(),
      ),
    );
    const stored = await db.deviceParameter.findMany({
      where: { deviceId, name: { startsWith: ms } },
      select: { name: true, value: true },
      orderBy: { name: "asc" },
    });
    expect(stored).toEqual([
      { name: `${ms}ConnectionRequestPassword`, value: null },
      { name: `${ms}Password`, value: null },
      { name: `${ms}Username`, value: "cpe-user" },
    ]);
  });
});

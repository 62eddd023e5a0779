import type { SetParameterValues } from "@beacon/cwmp";
import {
  createEnrollmentCredential,
  createRoom,
  createTemplate,
  createTenant,
  ensurePlatformTenant,
  listReenrollRequests,
  listUnassignedDevices,
  preRegisterDevice,
  readmitDevice,
  setAutoReadmit,
} from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { type CwmpResult, TestCpe } from "./helpers/test-cpe.ts";

const actor = { label: "test@beacon.example" };
const SHARED = { username: "boot", password: "strap" };
const ROOM_PASSPHRASE = "room-passphrase-from-template";

function valuesOf(result: CwmpResult): Map<string, string> {
  return new Map((result.message as SetParameterValues).parameterList.map((p) => [p.name, p.value]));
}

/** Runs a CPE through its first session: the credentials SetParameterValues, then whatever else Beacon sends. */
async function firstSession(cpe: TestCpe): Promise<{ credentials: Map<string, string>; after: CwmpResult[] }> {
  expect((await cpe.inform(["0 BOOTSTRAP", "1 BOOT"])).status).toBe(200);
  const spv = await cpe.send({ type: "Empty" });
  expect(spv.message?.type).toBe("SetParameterValues");
  const credentials = valuesOf(spv);
  expect(credentials.has("InternetGatewayDevice.ManagementServer.Password")).toBe(true);
  const after: CwmpResult[] = [];
  let next = await cpe.answer(spv, { type: "SetParameterValuesResponse", status: 0 });
  while (next.status === 200 && next.message && after.length < 10) {
    after.push(next);
    next =
      next.message.type === "SetParameterValues"
        ? await cpe.answer(next, { type: "SetParameterValuesResponse", status: 0 })
        : await cpe.answer(next, { type: "Fault", faultCode: 9000, faultString: "not in this test" } as never);
  }
  return { credentials, after };
}

function useOwnCredentials(cpe: TestCpe, credentials: Map<string, string>): void {
  cpe.username = credentials.get("InternetGatewayDevice.ManagementServer.Username");
  cpe.password = credentials.get("InternetGatewayDevice.ManagementServer.Password");
  cpe.forgetNonce();
}

describe("enrollment per domain, trust before secrets, re-admission after a factory reset", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let hotelId: string;
  let roomId: string;

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ bootstrapUsername: SHARED.username, bootstrapPassword: SHARED.password });
    const platform = await ensurePlatformTenant(fixture.db);
    const hotel = await createTenant(fixture.db, { name: "Hotel Azur", kind: "hotel", parentId: platform.id });
    hotelId = hotel.id;
    roomId = (await createRoom(fixture.db, { siteId: hotelId, number: "301" })).id;
    await createTemplate(
      fixture.db,
      {
        tenantId: hotelId,
        name: "Room WiFi",
        autoApply: true,
        settings: { "wifi.2g.ssid": "Azur-{{room.number}}", "wifi.2g.passphrase": ROOM_PASSPHRASE },
      },
      actor,
    );
  });
  afterAll(() => fixture.close());

  it("puts a device that enrolls with a hotel's own credential in that hotel's inbox", async () => {
    const enrollment = await createEnrollmentCredential(fixture.db, hotelId, actor);
    const cpe = new TestCpe(ingress.url, enrollment);
    await firstSession(cpe);
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    expect(device.tenantId).toBe(hotelId);
    expect(device.cwmpUsername).toBeTruthy();
    const inbox = await listUnassignedDevices(fixture.db, { tenantId: hotelId });
    expect(inbox.map((d) => d.serialNumber)).toContain(cpe.serialNumber);
    // The shared credential still enrolls into the platform.
    const other = new TestCpe(ingress.url, SHARED);
    await firstSession(other);
    const platformDevice = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: other.serialNumber } });
    expect(platformDevice.tenantId).not.toBe(hotelId);
    cpe.close();
    other.close();
  });

  it("refuses a wrong password for a hotel's enrollment username", async () => {
    const { username } = await createEnrollmentCredential(fixture.db, hotelId, actor);
    const cpe = new TestCpe(ingress.url, { username, password: "guessed" });
    expect((await cpe.inform(["0 BOOTSTRAP"])).status).toBe(401);
    expect(await fixture.db.device.count({ where: { serialNumber: cpe.serialNumber } })).toBe(0);
    cpe.close();
  });

  it("gives a replayed pre-registered serial on the shared credential its own credentials and nothing secret", async () => {
    const serialNumber = "AZUR-REPLAYED-1";
    await preRegisterDevice(fixture.db, { roomId, serialNumber }, actor);
    const replay = new TestCpe(ingress.url, { ...SHARED, serialNumber });
    const { after } = await firstSession(replay);
    expect(after).toEqual([]);
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber } });
    const tasks = await fixture.db.task.findMany({ where: { deviceId: device.id } });
    expect(tasks).toEqual([]);
    expect(JSON.stringify(after)).not.toContain(ROOM_PASSPHRASE);
    replay.close();
  });

  it("provisions a pre-registered device enrolled with the hotel's credential in its first session", async () => {
    const serialNumber = "AZUR-VOUCHED-1";
    const room = await createRoom(fixture.db, { siteId: hotelId, number: "302" });
    await preRegisterDevice(fixture.db, { roomId: room.id, serialNumber }, actor);
    const enrollment = await createEnrollmentCredential(fixture.db, hotelId, actor);
    const cpe = new TestCpe(ingress.url, { ...enrollment, serialNumber });
    await firstSession(cpe);
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber } });
    // The template's secret is released to a device its domain's credential vouches for (the replay above got
    // none): its settings task ran in this first session. (This test CPE does not answer the network reads the
    // settings are planned from, so the values themselves are not sent; wifi-networks.test.ts covers that.)
    const templateTasks = await fixture.db.task.findMany({ where: { deviceId: device.id, kind: "applySettings" } });
    expect(JSON.stringify(templateTasks.map((t) => t.args))).toContain(ROOM_PASSPHRASE);
    expect(templateTasks.every((t) => t.attempts >= 1)).toBe(true);
    expect(device.tenantId).toBe(hotelId);
    expect(device.provisionedAt).not.toBeNull();
    cpe.close();
  });

  it("holds a known device that returns from a factory reset on a bootstrap credential until one click re-admits it", async () => {
    const cpe = new TestCpe(ingress.url, SHARED);
    const { credentials } = await firstSession(cpe);
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    await fixture.db.device.update({ where: { id: device.id }, data: { tenantId: hotelId } });
    const firstUsername = device.cwmpUsername;

    // Reset in the field: factory credential, 0 BOOTSTRAP.
    cpe.username = SHARED.username;
    cpe.password = SHARED.password;
    cpe.forgetNonce();
    expect((await cpe.inform(["0 BOOTSTRAP", "1 BOOT"])).status).toBe(403);
    cpe.forgetNonce();
    expect((await cpe.inform(["0 BOOTSTRAP", "1 BOOT"])).status).toBe(403);
    const requests = await listReenrollRequests(fixture.db, { tenantId: hotelId });
    expect(requests).toMatchObject([{ id: device.id, serialNumber: cpe.serialNumber, approvedAt: null }]);
    const alarms = await fixture.db.alarm.findMany({ where: { deviceId: device.id, type: "device.reenroll" } });
    expect(alarms).toMatchObject([{ state: "active", severity: "major", tenantId: hotelId }]);
    // Without the reset event, the bootstrap credential is just refused, as before.
    cpe.forgetNonce();
    expect((await cpe.inform(["2 PERIODIC"])).status).toBe(403);

    await readmitDevice(fixture.db, device.id, actor);
    cpe.forgetNonce();
    const { credentials: renewed } = await firstSession(cpe);
    const readmitted = await fixture.db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(readmitted.cwmpUsername).not.toBe(firstUsername);
    expect(readmitted.reenrollRequestedAt).toBeNull();
    expect(readmitted.reenrollApprovedAt).toBeNull();
    expect(await fixture.db.alarm.findMany({ where: { deviceId: device.id, type: "device.reenroll" } })).toMatchObject([
      { state: "cleared" },
    ]);
    expect(renewed.get("InternetGatewayDevice.ManagementServer.Password")).not.toBe(
      credentials.get("InternetGatewayDevice.ManagementServer.Password"),
    );
    useOwnCredentials(cpe, renewed);
    expect((await cpe.inform(["2 PERIODIC"])).status).toBe(200);
    cpe.close();
  });

  it("re-admits a device returning from a factory reset at once when its domain says so", async () => {
    const cpe = new TestCpe(ingress.url, SHARED);
    await firstSession(cpe);
    const device = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: cpe.serialNumber } });
    await fixture.db.device.update({ where: { id: device.id }, data: { tenantId: hotelId } });
    await setAutoReadmit(fixture.db, hotelId, true, actor);
    cpe.forgetNonce();
    await firstSession(cpe);
    expect((await fixture.db.device.findUniqueOrThrow({ where: { id: device.id } })).reenrollRequestedAt).toBeNull();
    await setAutoReadmit(fixture.db, hotelId, false, actor);
    cpe.close();
  });
});

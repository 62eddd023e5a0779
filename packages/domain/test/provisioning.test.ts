import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InformFacts } from "../src/cwmp/inform-facts.ts";
import { claimDevice, preRegisterDevice } from "../src/provisioning/assignments.ts";
import { endLineContract } from "../src/provisioning/end-contract.ts";
import { listUnassignedDevices, provisionDevice, provisionOnInform } from "../src/provisioning/provision.ts";
import { createRoomRange } from "../src/sites/rooms.ts";
import { createLine, createSubscriber } from "../src/sites/subscribers.ts";
import { createTemplate } from "../src/templates/templates.ts";
import { type CpeModelFixture, cpeModel } from "./fixtures/cpe-models.ts";
import { createModelDevice } from "./support/cpe-devices.ts";
import { actor, domainTree, spvValues } from "./support/domains.ts";

const PPP = "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1";

function informOf(model: CpeModelFixture, serialNumber: string, codes: string[]): InformFacts {
  const root = model.identity.root;
  return {
    manufacturer: model.identity.manufacturer,
    oui: model.identity.oui,
    productClass: model.identity.productClass,
    serialNumber,
    events: codes.map((code) => ({ code, commandKey: "" })),
    parameters: [
      { name: `${root}.DeviceInfo.SoftwareVersion`, value: "V5R020C00S280" },
      { name: `${root}.ManagementServer.ConnectionRequestURL`, value: "http://192.0.2.10:7547/" },
    ],
  };
}

describe("zero-touch provisioning", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;
  const rooms: Record<string, string> = {};
  let lineId: string;
  const huawei = cpeModel("huawei-eg8145v5");

  /** A device that has just sent its first Inform: known to Beacon, its tree not read yet. */
  const firstContact = (model: CpeModelFixture, tenantId: string, serialNumber: string) =>
    createModelDevice(db, tenantId, model, { serialNumber, withParameters: false });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "ztp");
    await createRoomRange(db, { siteId: tree.hotel.id, from: 201, to: 206 });
    for (const room of await db.room.findMany({ where: { tenantId: tree.hotel.id } })) rooms[room.number] = room.id;
    await createTemplate(
      db,
      {
        tenantId: tree.hotel.id,
        name: "Room WiFi",
        autoApply: true,
        settings: {
          "wifi.2g.ssid": "Hotel-{{room.number}}",
          "wifi.2g.passphrase": "{{room.passphrase}}",
          "admin.password": "{{random.alnum(16)}}",
        },
      },
      actor,
    );
    await createTemplate(
      db,
      {
        tenantId: tree.operator.id,
        name: "FTTH",
        autoApply: true,
        settings: {
          "wan.vlan": "100",
          "wan.pppoe.username": "{{subscriber.id}}@fibrenet",
          "wan.pppoe.password": "{{line.vars.pppoePassword}}",
          "voip.line1.number": "{{line.phoneNumber}}",
        },
      },
      actor,
    );
    const subscriber = await createSubscriber(db, {
      tenantId: tree.operator.id,
      externalId: "S-1",
      address: "1 Rue de la Fibre",
    });
    const line = await createLine(db, {
      subscriberId: subscriber.id,
      loid: "LOID-0001",
      phoneNumber: "+33100000001",
      servicePlan: "Fibre 1G",
      vars: { pppoePassword: "s3cret-pppoe" },
    });
    lineId = line.id;
  });
  afterAll(() => database?.drop());

  /** The settings by meaning a provisioning left for after the device's networks are read. */
  async function settingsWaiting(outcome: { kind: string; deferredTaskId?: string | null }) {
    const id = "deferredTaskId" in outcome ? outcome.deferredTaskId : null;
    if (!id) return {};
    const task = await db.task.findUniqueOrThrow({ where: { id } });
    expect(task.kind).toBe("applySettings");
    return (task.args as { settings: Record<string, string> }).settings;
  }

  it("provisions a pre-registered device at its first Inform: into the room's domain, templates queued", async () => {
    // The label says HWTC00C0FFEE; the ONT reports its serial hex-encoded.
    const registration = await preRegisterDevice(db, { roomId: rooms["201"], serialNumber: "hwtc00c0ffee" }, actor);
    expect(registration.assignment).toMatchObject({
      serialNumber: "HWTC00C0FFEE",
      state: "waiting",
      tenantId: tree.hotel.id,
    });
    expect(registration.provisioned).toBeNull();

    const deviceId = await firstContact(huawei, tree.integrator.id, "4857544300C0FFEE");
    const outcome = await provisionOnInform(
      db,
      { id: deviceId },
      informOf(huawei, "4857544300C0FFEE", ["0 BOOTSTRAP", "1 BOOT"]),
    );
    expect(outcome).toMatchObject({ kind: "provisioned", tenantId: tree.hotel.id, taskId: expect.any(String) });

    const device = await db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(device.tenantId).toBe(tree.hotel.id);
    expect(device.provisionedAt).not.toBeNull();
    const assignment = await db.deviceAssignment.findUniqueOrThrow({ where: { id: registration.assignment.id } });
    expect(assignment).toMatchObject({ state: "provisioned", deviceId });

    const room = await db.room.findUniqueOrThrow({ where: { id: rooms["201"] } });
    const task = await db.task.findUniqueOrThrow({
      where: { id: outcome.kind === "provisioned" ? outcome.taskId! : "" },
    });
    expect(task.tenantId).toBe(tree.hotel.id);
    expect(spvValues(task)).toEqual({
      "InternetGatewayDevice.UserInterface.X_HW_WebUserInfo.2.Password": expect.stringMatching(/^[A-Za-z0-9]{16}$/),
    });
    // At first contact Beacon has not read the device's networks: the WiFi settings wait for the read queued before
    // them in the same session, and are placed by band then.
    expect(await settingsWaiting(outcome)).toEqual({
      "wifi.2g.ssid": "Hotel-201",
      "wifi.2g.passphrase": room.wifiPassphrase,
    });
    expect(await db.task.count({ where: { deviceId, kind: "readNetworkMap" } })).toBe(1);
    const audit = await db.auditEvent.findFirst({ where: { action: "device.provision", deviceId } });
    expect(audit?.before).toEqual({ tenantId: tree.integrator.id });

    // Later Informs of a provisioned device cost one lookup and queue nothing.
    expect(await provisionOnInform(db, { id: deviceId }, informOf(huawei, "4857544300C0FFEE", ["2 PERIODIC"]))).toEqual(
      {
        kind: "already-provisioned",
        assignmentId: registration.assignment.id,
      },
    );
    expect(await db.task.count({ where: { deviceId } })).toBe(3);
  });

  it("queues again what a device carried when it comes back from a factory reset, with the same values", async () => {
    const device = await db.device.findFirstOrThrow({ where: { serialNumber: "4857544300C0FFEE" } });
    const first = await db.task.findFirstOrThrow({ where: { deviceId: device.id, kind: "setParameterValues" } });
    const outcome = await provisionOnInform(
      db,
      device,
      informOf(huawei, device.serialNumber, ["0 BOOTSTRAP", "1 BOOT"]),
    );
    expect(outcome.kind).toBe("reprovisioned");
    const again = await db.task.findUniqueOrThrow({
      where: { id: outcome.kind === "reprovisioned" ? outcome.taskId! : "" },
    });
    expect(spvValues(again)).toEqual(spvValues(first));
  });

  it("leaves an unknown device in the unassigned inbox; claiming it provisions it at once", async () => {
    const nokia = cpeModel("nokia-g-1425g-a");
    const deviceId = await firstContact(nokia, tree.integrator.id, "ALCLB0000001");
    const outcome = await provisionOnInform(db, { id: deviceId }, informOf(nokia, "ALCLB0000001", ["0 BOOTSTRAP"]));
    expect(outcome).toEqual({ kind: "unassigned", reason: "no assignment matches the device's serial, MAC or LOID" });
    expect((await listUnassignedDevices(db, { tenantId: tree.integrator.id })).map((d) => d.serialNumber)).toContain(
      "ALCLB0000001",
    );

    const claimed = await claimDevice(db, { deviceId, roomId: rooms["202"] }, actor);
    expect(claimed).toMatchObject({ kind: "provisioned", tenantId: tree.hotel.id, taskId: expect.any(String) });
    const task = await db.task.findUniqueOrThrow({
      where: { id: claimed.kind === "provisioned" ? claimed.taskId! : "" },
    });
    expect((await settingsWaiting(claimed))["wifi.2g.ssid"]).toBe("Hotel-202");
    expect(spvValues(task)["InternetGatewayDevice.X_Authentication.WebAccount.Password"]).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(
      (await listUnassignedDevices(db, { tenantId: tree.integrator.id })).map((d) => d.serialNumber),
    ).not.toContain("ALCLB0000001");
  });

  it("claims a device only into its own domain or one below it", async () => {
    const deviceId = await firstContact(cpeModel("tplink-ec220-g5"), tree.otherHotel.id, "EC220CLAIM01");
    await expect(claimDevice(db, { deviceId, roomId: rooms["206"] }, actor)).rejects.toThrow(
      /own domain or one below it/,
    );
  });

  it("does not let an assignment pull a device out of a sibling domain", async () => {
    await preRegisterDevice(db, { roomId: rooms["205"], serialNumber: "HWTC0000BEEF" }, actor);
    const deviceId = await firstContact(huawei, tree.otherHotel.id, "485754430000BEEF");
    const outcome = await provisionOnInform(
      db,
      { id: deviceId },
      informOf(huawei, "485754430000BEEF", ["0 BOOTSTRAP"]),
    );
    expect(outcome.kind).toBe("unassigned");
    expect((await db.device.findUniqueOrThrow({ where: { id: deviceId } })).tenantId).toBe(tree.otherHotel.id);
  });

  it("matches a pre-registered MAC on the device's own interface, never on a client in its host table", async () => {
    await preRegisterDevice(db, { roomId: rooms["204"], macAddress: "00259eaabb01" }, actor);
    const gateway = await firstContact(huawei, tree.integrator.id, "4857544300000E01");
    await db.deviceParameter.create({
      data: {
        deviceId: gateway,
        name: "InternetGatewayDevice.LANDevice.1.Hosts.Host.3.MACAddress",
        value: "00:25:9e:aa:bb:01",
      },
    });
    const facts = informOf(huawei, "4857544300000E01", ["0 BOOTSTRAP"]);
    expect((await provisionOnInform(db, { id: gateway }, facts)).kind).toBe("unassigned");

    const ont = await firstContact(huawei, tree.integrator.id, "4857544300000E02");
    const own = informOf(huawei, "4857544300000E02", ["0 BOOTSTRAP"]);
    own.parameters.push({ name: `${PPP}.MACAddress`, value: "00-25-9E-AA-BB-01" });
    expect(await provisionOnInform(db, { id: ont }, own)).toMatchObject({
      kind: "provisioned",
      tenantId: tree.hotel.id,
    });
  });

  it("gives a replacement ONU the configuration of the broken one and releases the old one", async () => {
    // The old ONT informed before it was pre-registered: pre-registering it provisions it at once.
    const oldId = await firstContact(huawei, tree.integrator.id, "48575443000000A1");
    const first = await preRegisterDevice(db, { roomId: rooms["203"], serialNumber: "48575443000000A1" }, actor);
    expect(first.provisioned).toMatchObject({ kind: "provisioned", tenantId: tree.hotel.id });
    const oldTask = await db.task.findUniqueOrThrow({
      where: { id: first.provisioned?.kind === "provisioned" ? first.provisioned.taskId! : "" },
    });

    await expect(preRegisterDevice(db, { roomId: rooms["203"], serialNumber: "HWTC000000B2" }, actor)).rejects.toThrow(
      /room 203 already has a device \(HWTC000000A1\); confirm the replacement/,
    );
    const swap = await preRegisterDevice(
      db,
      { roomId: rooms["203"], serialNumber: "HWTC000000B2", replace: true },
      actor,
    );
    expect(swap.released).toMatchObject({ state: "released", deviceId: oldId });
    expect(await db.deviceTemplate.count({ where: { deviceId: oldId } })).toBe(0);

    const newId = await firstContact(huawei, tree.integrator.id, "48575443000000B2");
    const second = await provisionOnInform(db, { id: newId }, informOf(huawei, "48575443000000B2", ["0 BOOTSTRAP"]));
    expect(second.kind).toBe("provisioned");
    const newTask = await db.task.findUniqueOrThrow({
      where: { id: second.kind === "provisioned" ? second.taskId! : "" },
    });
    // Same SSID, same room passphrase, and the same generated admin password as the broken one had.
    expect(spvValues(newTask)).toEqual(spvValues(oldTask));
    expect((await listUnassignedDevices(db, { tenantId: tree.hotel.id })).map((d) => d.id)).toContain(oldId);
  });

  it("finds a line's ONT by the line's LOID, reading the LOID when the Inform does not carry it", async () => {
    const registration = await preRegisterDevice(db, { lineId }, actor);
    expect(registration.assignment).toMatchObject({
      loid: "LOID-0001",
      serialNumber: null,
      tenantId: tree.operator.id,
    });

    const deviceId = await firstContact(huawei, tree.integrator.id, "4857544300000C01");
    const outcome = await provisionOnInform(
      db,
      { id: deviceId },
      informOf(huawei, "4857544300000C01", ["0 BOOTSTRAP"]),
    );
    expect(outcome).toMatchObject({ kind: "unassigned", loidRequestTaskId: expect.any(String) });
    const read = await db.task.findUniqueOrThrow({
      where: { id: outcome.kind === "unassigned" ? outcome.loidRequestTaskId! : "" },
    });
    expect(read).toMatchObject({
      kind: "getParameterValues",
      args: { names: ["InternetGatewayDevice.DeviceInfo.X_HW_Loid"] },
    });

    // The session runs the read; its answer lands in DeviceParameter; provisioning is tried again.
    await db.task.update({ where: { id: read.id }, data: { state: "done", finishedAt: new Date() } });
    await db.deviceParameter.create({
      data: { deviceId, name: "InternetGatewayDevice.DeviceInfo.X_HW_Loid", value: "LOID-0001", type: "xsd:string" },
    });
    const provisioned = await provisionDevice(db, deviceId);
    expect(provisioned).toMatchObject({ kind: "provisioned", tenantId: tree.operator.id });
    const task = await db.task.findUniqueOrThrow({
      where: { id: provisioned.kind === "provisioned" ? provisioned.taskId! : "" },
    });
    expect(spvValues(task)).toEqual({
      [`${PPP}.X_HW_VLAN`]: "100",
      "InternetGatewayDevice.Services.VoiceService.1.VoiceProfile.1.Line.1.DirectoryNumber": "+33100000001",
    });
    // PPPoE goes on the connection that carries Internet, which the device's WAN map tells.
    expect(await settingsWaiting(provisioned)).toEqual({
      "wan.pppoe.username": "S-1@fibrenet",
      "wan.pppoe.password": "s3cret-pppoe",
    });
  });

  it("ends a subscriber's contract with a factory reset and frees the line", async () => {
    const ended = await endLineContract(db, { lineId }, actor);
    expect(ended.taskId).not.toBeNull();
    const reset = await db.task.findUniqueOrThrow({ where: { id: ended.taskId! } });
    expect(reset.kind).toBe("factoryReset");
    expect(ended.released).toMatchObject({ state: "released" });
    expect(await db.deviceTemplate.count({ where: { deviceId: reset.deviceId } })).toBe(0);
    expect((await db.line.findUniqueOrThrow({ where: { id: lineId } })).terminatedAt).not.toBeNull();
    await expect(endLineContract(db, { lineId }, actor)).rejects.toThrow(/has ended already/);
    await expect(preRegisterDevice(db, { lineId, serialNumber: "HWTC12345678" }, actor)).rejects.toThrow(/has ended/);
  });
});

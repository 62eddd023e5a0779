import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDevice } from "../src/provisioning/assignments.ts";
import { createRoomRange } from "../src/sites/rooms.ts";
import { applyTemplate } from "../src/templates/apply.ts";
import { templateDrift } from "../src/templates/drift.ts";
import { previewTemplate } from "../src/templates/preview.ts";
import { retryWithoutRejected } from "../src/templates/rejected-settings.ts";
import { createTemplate, createTemplateVersion, getTemplate, listTemplates } from "../src/templates/templates.ts";
import { cpeModel } from "./fixtures/cpe-models.ts";
import { createModelDevice, modelFor } from "./support/cpe-devices.ts";
import { actor, domainTree, finishTask, spvValues } from "./support/domains.ts";

const WLAN = "InternetGatewayDevice.LANDevice.1.WLANConfiguration";

const HOTEL_SETTINGS = {
  "wifi.2g.ssid": "Hotel-{{room.number}}",
  "wifi.5g.ssid": "Hotel-{{room.number}}-5G",
  "wifi.2g.passphrase": "{{room.passphrase}}",
  "wifi.5g.passphrase": "{{room.passphrase}}",
  "wifi.2g.security": "wpa2-psk",
  "wifi.2g.enable": "true",
  "management.periodicInformInterval": "600",
  "checkout.passphrase": "{{random.passphrase(12)}}",
};

describe("templates on devices", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;
  const devices: Record<string, string> = {};
  let hotelTemplateId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "tpl");
    await createRoomRange(db, { siteId: tree.hotel.id, from: 101, to: 104 });
    const rooms: Record<string, string> = {};
    for (const room of await db.room.findMany({ where: { tenantId: tree.hotel.id } })) rooms[room.number] = room.id;
    const placed = [
      ["huawei-eg8145v5", "101"],
      ["nokia-g-1425g-a", "102"],
      ["tplink-ex220", "103"],
    ] as const;
    for (const [id, number] of placed) {
      devices[id] = await createModelDevice(db, tree.integrator.id, modelFor(id).model);
      await claimDevice(db, { deviceId: devices[id]!, roomId: rooms[number] }, actor);
    }
    devices["tplink-ec220-g5"] = await createModelDevice(db, tree.hotel.id, modelFor("tplink-ec220-g5").model);
    const { template } = await createTemplate(
      db,
      { tenantId: tree.integrator.id, name: "Guest WiFi", settings: HOTEL_SETTINGS, note: "first" },
      actor,
    );
    hotelTemplateId = template.id;
  });
  afterAll(() => database?.drop());

  it(`applies Hotel-{{room.number}} to the right path of each data model and vendor (${modelFor("tplink-ex220").source} models)`, async () => {
    const result = await applyTemplate(db, {
      templateId: hotelTemplateId,
      target: { kind: "rooms", siteId: tree.hotel.id, from: "101", to: "104" },
      actor,
    });
    expect(result.version).toBe(1);
    expect(result.problems).toEqual([{ roomNumber: "104", reason: "room 104 has no provisioned device" }]);
    expect(result.devices).toHaveLength(3);

    const rooms = await db.room.findMany({ where: { tenantId: tree.hotel.id }, orderBy: { number: "asc" } });
    const passphrase = (n: string) => rooms.find((r) => r.number === n)!.wifiPassphrase!;
    for (const n of ["101", "102", "103"]) expect(passphrase(n)).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{12}$/);
    expect(passphrase("104")).toBeNull();

    const taskOf = async (id: string) => {
      const tasks = await db.task.findMany({ where: { deviceId: devices[id]!, kind: "setParameterValues" } });
      expect(tasks).toHaveLength(1);
      return tasks[0]!;
    };
    const huawei = await taskOf("huawei-eg8145v5");
    expect(spvValues(huawei)).toEqual({
      [`${WLAN}.1.SSID`]: "Hotel-101",
      [`${WLAN}.5.SSID`]: "Hotel-101-5G",
      [`${WLAN}.1.PreSharedKey.1.PreSharedKey`]: passphrase("101"),
      [`${WLAN}.5.PreSharedKey.1.PreSharedKey`]: passphrase("101"),
      [`${WLAN}.1.BeaconType`]: "11i",
      [`${WLAN}.1.IEEE11iAuthenticationMode`]: "PSKAuthentication",
      [`${WLAN}.1.IEEE11iEncryptionModes`]: "AESEncryption",
      [`${WLAN}.1.Enable`]: "true",
      "InternetGatewayDevice.ManagementServer.PeriodicInformInterval": "600",
    });
    const args = huawei.args as { values: { name: string; type: string }[]; parameterKey: string };
    expect(args.values.find((v) => v.name.endsWith("PeriodicInformInterval"))?.type).toBe("xsd:unsignedInt");
    expect(args.values.find((v) => v.name.endsWith(".1.Enable"))?.type).toBe("xsd:boolean");
    expect(args.parameterKey).toMatch(/^tpl-[0-9a-f]{8}-v1$/);

    const nokia = spvValues(await taskOf("nokia-g-1425g-a"));
    expect(nokia[`${WLAN}.1.SSID`]).toBe("Hotel-102");
    expect(nokia[`${WLAN}.5.SSID`]).toBe("Hotel-102-5G");
    expect(nokia[`${WLAN}.1.PreSharedKey.1.KeyPassphrase`]).toBe(passphrase("102"));
    expect(Object.keys(nokia).some((k) => k.includes(".6.") || k.includes("PreSharedKey.1.PreSharedKey"))).toBe(false);

    expect(spvValues(await taskOf("tplink-ex220"))).toEqual({
      "Device.WiFi.SSID.1.SSID": "Hotel-103",
      "Device.WiFi.SSID.3.SSID": "Hotel-103-5G",
      "Device.WiFi.AccessPoint.1.Security.KeyPassphrase": passphrase("103"),
      "Device.WiFi.AccessPoint.3.Security.KeyPassphrase": passphrase("103"),
      "Device.WiFi.AccessPoint.1.Security.ModeEnabled": "WPA2-Personal",
      "Device.WiFi.SSID.1.Enable": "true",
      "Device.ManagementServer.PeriodicInformInterval": "600",
    });

    const carried = await db.deviceTemplate.findMany({
      where: { templateId: hotelTemplateId },
      include: { templateVersion: true },
    });
    expect(carried).toHaveLength(3);
    for (const row of carried) {
      expect(row.templateVersion.version).toBe(1);
      expect(row.taskIds).toHaveLength(1);
      expect((row.values as { setting: string }[]).map((v) => v.setting)).toContain("wifi.2g.ssid");
    }
  });

  it("previews exact values and says which settings the device cannot take and why, without queueing anything", async () => {
    const { version } = await createTemplate(
      db,
      {
        tenantId: tree.hotel.id,
        name: "Preview me",
        settings: {
          "wifi.2g.ssid": "Hotel-{{room.number}}",
          "wifi.2g.security": "wpa3-sae",
          "wifi.5g.passphrase": "correct horse battery",
          "voip.line1.number": "+33100000000",
          "ntp.server1": "pool.ntp.org",
        },
        rawParameters: [
          { path: "InternetGatewayDevice.X_Beacon_Nothing.Foo", value: "1" },
          { path: "Device.Time.NTPServer3", value: "ntp.example" },
          { path: `${WLAN}.1.X_TP_Band`, value: "2.4GHz", type: "xsd:string" },
        ],
      },
      actor,
    );
    const before = await db.task.count();
    const preview = await previewTemplate(db, { templateVersionId: version.id, deviceId: devices["tplink-ec220-g5"]! });
    expect(await db.task.count()).toBe(before);

    expect(preview.mappingFiles).toEqual(["tr098", "vendor-tplink-tr098", "tplink-ec220-g5"]);
    expect(preview.treeKnown).toBe(true);
    expect(preview.values.map(({ setting, path, value, type }) => ({ setting, path, value, type }))).toEqual([
      {
        setting: "wifi.5g.passphrase",
        path: `${WLAN}.2.X_TP_PreSharedKey`,
        value: "correct horse battery",
        type: "xsd:string",
      },
      {
        setting: "ntp.server1",
        path: "InternetGatewayDevice.Time.NTPServer1",
        value: "pool.ntp.org",
        type: "xsd:string",
      },
      { setting: null, path: `${WLAN}.1.X_TP_Band`, value: "2.4GHz", type: "xsd:string" },
    ]);
    expect(preview.values[0]?.secret).toBe(true);
    const reasons = Object.fromEntries(preview.skipped.map((s) => [s.setting ?? s.path, s.reason]));
    expect(reasons["wifi.2g.ssid"]).toBe("{{room.number}} has no value: the device is not assigned to a room");
    expect(reasons["wifi.2g.security"]).toMatch(/"wpa3-sae" is not a value tr098 maps/);
    expect(reasons["voip.line1.number"]).toBe("the EC220-G5 has no voice service (mapping tplink-ec220-g5)");
    expect(reasons["InternetGatewayDevice.X_Beacon_Nothing.Foo"]).toMatch(/is not among the device's parameters/);
    expect(reasons["Device.Time.NTPServer3"]).toMatch(/this device's data model is InternetGatewayDevice/);
  });

  it("says when a parameter is read-only on the device", async () => {
    const { version } = await createTemplate(
      db,
      {
        tenantId: tree.hotel.id,
        name: "Read-only",
        rawParameters: [
          { path: "InternetGatewayDevice.Services.VoiceService.1.VoiceProfile.1.SIP.VLANIDMark", value: "20" },
        ],
      },
      actor,
    );
    const preview = await previewTemplate(db, { templateVersionId: version.id, deviceId: devices["nokia-g-1425g-a"]! });
    expect(preview.skipped).toEqual([
      {
        setting: null,
        path: "InternetGatewayDevice.Services.VoiceService.1.VoiceProfile.1.SIP.VLANIDMark",
        reason:
          "InternetGatewayDevice.Services.VoiceService.1.VoiceProfile.1.SIP.VLANIDMark is read-only on this device",
      },
    ]);
  });

  it("gives mapped paths the benefit of the doubt before the device's tree has been read", async () => {
    const bare = await createModelDevice(db, tree.hotel.id, cpeModel("huawei-eg8145v5"), {
      serialNumber: "4857544300000001",
      withParameters: false,
    });
    const template = await getTemplate(db, hotelTemplateId);
    const preview = await previewTemplate(db, { templateVersionId: template.versions[0]!.id, deviceId: bare });
    expect(preview.treeKnown).toBe(false);
    expect(preview.values.map((v) => v.path)).toContain(
      "InternetGatewayDevice.ManagementServer.PeriodicInformInterval",
    );
    expect(preview.values.find((v) => v.path.endsWith("Interval"))?.type).toBe("xsd:unsignedInt");
  });

  it("keeps a template to its own domain and those below", async () => {
    const { template } = await createTemplate(
      db,
      { tenantId: tree.otherHotel.id, name: "Other hotel's", settings: { "ntp.server1": "ntp.other" } },
      actor,
    );
    const result = await applyTemplate(db, {
      templateId: template.id,
      target: { kind: "device", deviceId: devices["tplink-ec220-g5"]! },
      actor,
    });
    expect(result.devices).toEqual([]);
    expect(result.problems[0]?.reason).toMatch(/serves its own domain and those below it/);
    const names = (await listTemplates(db, { tenantId: tree.hotel.id })).map((t) => [t.name, t.inherited]);
    expect(names).toContainEqual(["Guest WiFi", true]);
    expect(names).toContainEqual(["Preview me", false]);
    expect(names.map(([n]) => n)).not.toContain("Other hotel's");
  });

  it("refuses settings Beacon does not know, values that cannot be right and misspelt variables", async () => {
    const create = (settings: Record<string, string>) =>
      createTemplate(db, { tenantId: tree.hotel.id, name: `bad ${Object.keys(settings)[0]}`, settings }, actor);
    await expect(create({ "wifi.2g.sid": "x" })).rejects.toThrow(/wifi.2g.sid is not a setting Beacon knows/);
    await expect(create({ "wan.vlan": "5000" })).rejects.toThrow(/between 0 and 4094/);
    await expect(create({ "wifi.2g.ssid": "{{room.numbr}}" })).rejects.toThrow(/room offers room.number/);
    await expect(
      createTemplate(db, { tenantId: tree.integrator.id, name: "Guest WiFi", settings: {} }, actor),
    ).rejects.toThrow(/already has a template named Guest WiFi/);
  });

  it("reports drift when the device's value differs from what the template set, once the task is done", async () => {
    const deviceId = devices["huawei-eg8145v5"]!;
    let drift = await templateDrift(db, deviceId);
    expect(drift.pending.map((p) => p.templateName)).toEqual(["Guest WiFi"]);
    expect(drift.drifted).toEqual([]);

    const [row] = await db.deviceTemplate.findMany({ where: { deviceId } });
    await finishTask(db, row!.taskIds[0]!);
    drift = await templateDrift(db, deviceId);
    expect(drift).toMatchObject({ pending: [], drifted: [] });
    expect(drift.unverifiable).toBe(2); // the two passphrases: CWMP reads them back empty

    // The CPE reports "1" for true: the same value, not drift. A guest renamed the network: drift.
    await db.deviceParameter.update({
      where: { deviceId_name: { deviceId, name: `${WLAN}.1.Enable` } },
      data: { value: "1" },
    });
    await db.deviceParameter.update({
      where: { deviceId_name: { deviceId, name: `${WLAN}.1.SSID` } },
      data: { value: "Party" },
    });
    drift = await templateDrift(db, deviceId);
    expect(drift.drifted).toEqual([
      expect.objectContaining({
        templateName: "Guest WiFi",
        version: 1,
        setting: "wifi.2g.ssid",
        path: `${WLAN}.1.SSID`,
        expected: "Hotel-101",
        actual: "Party",
      }),
    ]);
  });

  it("makes a new version for an edit and leaves devices on theirs until it is applied", async () => {
    const v2 = await createTemplateVersion(
      db,
      {
        templateId: hotelTemplateId,
        settings: { ...HOTEL_SETTINGS, "management.periodicInformInterval": "900" },
        note: "slower",
      },
      actor,
    );
    expect(v2.version).toBe(2);
    const template = await getTemplate(db, hotelTemplateId);
    expect(template.latestVersion).toBe(2);
    expect(
      template.versions.map((v) => [
        v.version,
        (v.settings as Record<string, string>)["management.periodicInformInterval"],
      ]),
    ).toEqual([
      [2, "900"],
      [1, "600"],
    ]);
    const carried = await db.deviceTemplate.findFirst({
      where: { deviceId: devices["tplink-ex220"]! },
      include: { templateVersion: true },
    });
    expect(carried?.templateVersion.version).toBe(1);

    await applyTemplate(db, {
      templateId: hotelTemplateId,
      target: { kind: "device", deviceId: devices["tplink-ex220"]! },
      actor,
    });
    const after = await db.deviceTemplate.findFirst({
      where: { deviceId: devices["tplink-ex220"]! },
      include: { templateVersion: true },
    });
    expect(after?.templateVersion.version).toBe(2);
    const room103 = await db.room.findFirst({ where: { tenantId: tree.hotel.id, number: "103" } });
    const latest = await db.task.findFirst({ where: { id: after!.taskIds[0]! } });
    // The room keeps its passphrase across versions: it is the room's, not the template's.
    expect(spvValues(latest!)["Device.WiFi.AccessPoint.1.Security.KeyPassphrase"]).toBe(room103!.wifiPassphrase);
    expect(spvValues(latest!)["Device.ManagementServer.PeriodicInformInterval"]).toBe("900");
  });

  it("re-queues the other values when the device refuses one, and records which setting and why", async () => {
    const deviceId = devices["nokia-g-1425g-a"]!;
    const [row] = await db.deviceTemplate.findMany({ where: { deviceId } });
    const taskId = row!.taskIds[0]!;
    const refused = `${WLAN}.1.SSID`;
    await finishTask(db, taskId, {
      code: 9003,
      message: `Invalid arguments; ${refused}: Invalid parameter value (9007)`,
    });

    const outcome = await retryWithoutRejected(db, taskId, [
      { parameterName: refused, faultCode: 9007, faultString: "Invalid parameter value" },
    ]);
    expect(outcome.kind).toBe("retried");
    if (outcome.kind !== "retried") return;
    const retry = await db.task.findUniqueOrThrow({ where: { id: outcome.taskId } });
    const original = await db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(Object.keys(spvValues(retry))).not.toContain(refused);
    expect(Object.keys(spvValues(retry))).toHaveLength(Object.keys(spvValues(original)).length - 1);

    const after = await db.deviceTemplate.findUniqueOrThrow({ where: { id: row!.id } });
    expect(after.rejected).toEqual([
      { setting: "wifi.2g.ssid", path: refused, code: 9007, reason: "Invalid parameter value", taskId },
    ]);
    expect(after.taskIds).toEqual([taskId, outcome.taskId]);
    expect(await retryWithoutRejected(db, taskId)).toEqual({
      kind: "not-applicable",
      reason: "the task was retried already",
    });

    // Without the decoded faults it reads the list the session layer wrote into faultString.
    await finishTask(db, outcome.taskId, {
      code: 9003,
      message: `Invalid arguments; ${WLAN}.5.SSID: Invalid parameter value (9007); InternetGatewayDevice.ManagementServer.PeriodicInformInterval: Attempt to set a non-writable parameter (9008)`,
    });
    const second = await retryWithoutRejected(db, outcome.taskId);
    expect(second).toMatchObject({
      kind: "retried",
      rejected: [
        { name: `${WLAN}.5.SSID`, code: 9007 },
        { name: "InternetGatewayDevice.ManagementServer.PeriodicInformInterval", code: 9008 },
      ],
    });
    // The refused settings are not drift: the device never took them.
    if (second.kind === "retried") await finishTask(db, second.taskId);
    const drift = await templateDrift(db, deviceId);
    expect(drift.drifted).toEqual([]);
    // ...and the device page lists each of them, with its fault in words.
    expect(drift.refused.map((r) => [r.setting, r.path, r.code])).toEqual([
      ["wifi.2g.ssid", refused, 9007],
      ["wifi.5g.ssid", `${WLAN}.5.SSID`, 9007],
      ["management.periodicInformInterval", "InternetGatewayDevice.ManagementServer.PeriodicInformInterval", 9008],
    ]);
    expect(drift.refused[2]!.explanation).toContain("read-only on this device");
  });
});

import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeAlarm } from "../src/alarms/alarm-conditions.ts";
import { ALARM_RULE_SETTINGS, effectiveAlarmRules, setAlarmRule } from "../src/alarms/alarm-rules.ts";
import { acknowledgeAlarm, listAlarms } from "../src/alarms/alarms.ts";
import { listDomainEvents } from "../src/alarms/domain-events.ts";
import { evaluateAlarms } from "../src/alarms/evaluate-alarms.ts";
import { sweepAlarms } from "../src/alarms/sweep-alarms.ts";
import { loadMonitoringMappings } from "../src/monitoring/monitoring-mappings.ts";
import { onParameterValues } from "../src/monitoring/parameter-values-hook.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

const mappings = loadMonitoringMappings();
const RX = "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower";
const HUAWEI_ONT = {
  oui: "00259E",
  productClass: "EG8145V5",
  manufacturer: "Huawei Technologies Co., Ltd",
  dataModelRoot: "InternetGatewayDevice",
  periodicInformInterval: 3600,
};
const minutes = (n: number) => n * 60_000;

describe("alarms", () => {
  let database: TestDatabase;
  let tenantId: string;
  let subSiteId: string;
  const t0 = new Date("2026-11-24T08:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    const platform = await ensurePlatformTenant(database.db);
    tenantId = (await createTenant(database.db, { name: "Fibre ISP", kind: "operator", parentId: platform.id })).id;
    subSiteId = (await createTenant(database.db, { name: "North", kind: "site", parentId: tenantId })).id;
  });
  afterAll(() => database.drop());

  async function ont(serialNumber: string, tenant = tenantId, lastInformAt = t0) {
    return database.db.device.create({ data: { tenantId: tenant, serialNumber, ...HUAWEI_ONT, lastInformAt } });
  }

  /** A reading arrives with an Inform: the session hook records it and judges the alarms. */
  async function reading(deviceId: string, level: string, at: Date) {
    await database.db.device.update({ where: { id: deviceId }, data: { lastInformAt: at } });
    return onParameterValues(database.db, deviceId, [{ name: RX, value: level }], { now: at, mappings });
  }

  const active = (deviceId: string) =>
    database.db.alarm.findMany({
      where: { deviceId, state: "active" },
      select: { type: true, severity: true, message: true },
    });

  it("raises a critical low-level alarm at -28 dBm and clears it only once the level is back past the hysteresis", async () => {
    const device = await ont("HWTC0001");
    const raised = await reading(device.id, "-28", t0);
    expect(raised.alarms?.raised.map((a) => [a.type, a.severity])).toEqual([["optical.rxLow", "critical"]]);
    expect(await active(device.id)).toEqual([
      { type: "optical.rxLow", severity: "critical", message: "low optical level: -28 dBm, below -27 dBm" },
    ]);

    // Just above the critical threshold, within the 1 dB hysteresis: still critical, nothing announced.
    const held = await reading(device.id, "-26.5", new Date(t0.getTime() + minutes(15)));
    expect(held.alarms).toEqual({ raised: [], changed: [], cleared: [] });
    expect((await active(device.id))[0]).toMatchObject({
      severity: "critical",
      message: "low optical level: -26.5 dBm, recovering, critical until above -26 dBm",
    });

    // Out of the critical band but not yet clear of the warning one: steps down to warning.
    const stepped = await reading(device.id, "-24.5", new Date(t0.getTime() + minutes(30)));
    expect(stepped.alarms?.changed.map((a) => a.severity)).toEqual(["warning"]);

    const cleared = await reading(device.id, "-21", new Date(t0.getTime() + minutes(45)));
    expect(cleared.alarms?.cleared.map((a) => a.type)).toEqual(["optical.rxLow"]);
    expect(await active(device.id)).toEqual([]);

    const events = await listDomainEvents(database.db, { tenantId });
    expect(events.filter((e) => e.deviceId === device.id).map((e) => e.type)).toEqual([
      "alarm.raised",
      "alarm.changed",
      "alarm.cleared",
    ]);
  });

  it("does not flap when the level wanders around the warning threshold", async () => {
    const device = await ont("HWTC0002");
    const levels = ["-25.2", "-24.8", "-25.1", "-24.7", "-25.3", "-24.9"];
    for (const [i, level] of levels.entries()) await reading(device.id, level, new Date(t0.getTime() + minutes(5 * i)));
    const alarms = await database.db.alarm.findMany({ where: { deviceId: device.id } });
    expect(alarms.map((a) => [a.type, a.severity, a.state])).toEqual([["optical.rxLow", "warning", "active"]]);
    const events = await database.db.domainEvent.count({ where: { deviceId: device.id } });
    expect(events).toBe(1);
  });

  it("raises loss of signal when the ONT has no reading, and overload above -8 dBm", async () => {
    const device = await ont("HWTC0003");
    await reading(device.id, "", t0);
    expect(await active(device.id)).toEqual([
      { type: "optical.los", severity: "critical", message: "loss of signal: the ONT reports no optical reading" },
    ]);
    await reading(device.id, "-5", new Date(t0.getTime() + minutes(5)));
    expect((await active(device.id)).map((a) => [a.type, a.severity])).toEqual([["optical.rxOverload", "major"]]);
  });

  it("raises an offline alarm for a device silent for three inform intervals, cleared by its next Inform", async () => {
    const device = await ont("HWTC0004", tenantId, new Date(t0.getTime() - minutes(200)));
    const sweep = await sweepAlarms(database.db, t0);
    expect(sweep.raised.filter((a) => a.deviceId === device.id).map((a) => [a.type, a.message])).toEqual([
      ["device.offline", "offline: no Inform for 3.3 h (expected every 60 min)"],
    ]);
    await database.db.device.update({
      where: { id: device.id },
      data: { lastInformAt: new Date(t0.getTime() + minutes(1)) },
    });
    const next = await sweepAlarms(database.db, new Date(t0.getTime() + minutes(2)));
    expect(next.cleared.filter((a) => a.deviceId === device.id).map((a) => a.type)).toEqual(["device.offline"]);
  });

  it("counts reboots within the window", async () => {
    const device = await ont("HWTC0005");
    await database.db.deviceEvent.createMany({
      data: [1, 2, 3].map((h) => ({ deviceId: device.id, code: "1 BOOT", at: new Date(t0.getTime() - h * 3_600_000) })),
    });
    const changes = await evaluateAlarms(database.db, device.id, t0);
    expect(changes.raised.map((a) => [a.type, a.message])).toEqual([["device.reboots", "3 reboots within 24 h"]]);
    const dayLater = await evaluateAlarms(database.db, device.id, new Date(t0.getTime() + 24 * 3_600_000));
    expect(dayLater.cleared.map((a) => a.type)).toEqual(["device.reboots"]);
  });

  it("lets a domain change a threshold for itself and the domains below", async () => {
    await setAlarmRule(database.db, { tenantId, type: "optical.rxLow", settings: { critical: -30 } }, { label: "ops" });
    const device = await ont("HWTC0006", subSiteId);
    await reading(device.id, "-28", t0);
    expect((await active(device.id)).map((a) => a.severity)).toEqual(["warning"]);
    const rules = await effectiveAlarmRules(database.db, { ancestorIds: [tenantId, subSiteId] });
    expect(rules["optical.rxLow"].settings).toEqual({ warning: -25, critical: -30, hysteresis: 1 });
    await setAlarmRule(database.db, { tenantId: subSiteId, type: "optical.rxLow", enabled: false }, { label: "ops" });
    await reading(device.id, "-28", new Date(t0.getTime() + minutes(5)));
    expect(await active(device.id)).toEqual([]);
    await expect(
      setAlarmRule(database.db, { tenantId, type: "optical.rxLow", settings: { critical: "low" } }, { label: "ops" }),
    ).rejects.toThrow("optical.rxLow:");
  });

  it("lists alarms most severe first and records who acknowledged one", async () => {
    const list = await listAlarms(database.db, { tenantId });
    const rank = { critical: 4, major: 3, minor: 2, warning: 1 };
    // The overloaded ONT and the reboot test's device, offline a day later, then the wandering one.
    expect(list.map((a) => a.severity)).toEqual(["major", "major", "warning"]);
    expect(list.every((a, i) => i === 0 || rank[a.severity] <= rank[list[i - 1]!.severity])).toBe(true);
    const acknowledged = await acknowledgeAlarm(database.db, list[0]!.id, { label: "noc@example.net" }, t0);
    expect(acknowledged.acknowledgedBy).toBe("noc@example.net");
    const open = await listAlarms(database.db, { tenantId, acknowledged: false });
    expect(open.some((a) => a.id === list[0]!.id)).toBe(false);
    const inSubSite = await listAlarms(database.db, { tenantId: subSiteId, state: "any" });
    expect(inSubSite.every((a) => a.device.tenantId === subSiteId)).toBe(true);
  });
});

describe("alarm conditions", () => {
  const facts = (rx: number | null) => ({
    now: new Date(),
    metrics: new Map([["optical.rxPower" as const, { value: rx, at: new Date() }]]),
    lastInformAt: new Date(),
    periodicInformInterval: 300,
    boots: 0,
    faults: 0,
  });
  const rx = ALARM_RULE_SETTINGS["optical.rxLow"].parse({});
  it.each([
    [-24, null, null],
    [-25, null, "warning"],
    [-27, null, "warning"],
    [-27.01, null, "critical"],
    [-26.5, "critical", "critical"],
    [-25.9, "critical", "warning"],
    [-24.2, "warning", "warning"],
    [-23.9, "warning", null],
  ] as const)("at %s dBm with %s active: %s", (level, current, expected) => {
    const verdict = judgeAlarm("optical.rxLow", rx, facts(level), current ? { severity: current } : null);
    expect(verdict?.severity ?? null).toBe(expected);
  });
});

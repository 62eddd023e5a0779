import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueMetricCollection, saveMonitoringProfile } from "../src/monitoring/collection-profiles.ts";
import {
  loadMonitoringMappings,
  type MetricReading,
  metricReadings,
  parseMonitoringMapping,
  resolveMonitoring,
} from "../src/monitoring/monitoring-mappings.ts";
import { runMonitoringScheduler } from "../src/monitoring/monitoring-scheduler.ts";
import { opticalDistribution } from "../src/monitoring/optical-distribution.ts";
import { classifyOpticalLevel } from "../src/monitoring/optical-levels.ts";
import { querySeries } from "../src/monitoring/query-series.ts";
import { recordSamples } from "../src/monitoring/record-samples.ts";
import { maintainSamplePartitions } from "../src/monitoring/sample-partitions.ts";
import { normaliseOpticalLevel, normaliseReading } from "../src/monitoring/units.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const sharedDir = process.env.BEACON_SHARED_DIR ?? join(repoRoot, "..", "shared");
const dumpsDir = join(sharedDir, "datamodels", "device-dumps");
const haveDumps = existsSync(dumpsDir);

const mappings = loadMonitoringMappings();

const HUAWEI = {
  dataModelRoot: "InternetGatewayDevice",
  manufacturer: "Huawei Technologies Co., Ltd",
  oui: "00259E",
  productClass: "EG8145V5",
  modelName: null,
};
const NOKIA = {
  dataModelRoot: "InternetGatewayDevice",
  manufacturer: "ALCL",
  oui: "9075BC",
  productClass: "G-1425G-A",
  modelName: null,
};
const ZTE = {
  dataModelRoot: "InternetGatewayDevice",
  manufacturer: "ZTE",
  oui: "34E0CF",
  productClass: "F670L",
  modelName: null,
};
const TR181_ONT = {
  dataModelRoot: "Device",
  manufacturer: "Acme",
  oui: "001122",
  productClass: "ONT-181",
  modelName: null,
};

const byMetric = (readings: MetricReading[]) => Object.fromEntries(readings.map((r) => [r.metric, r.value]));

describe("optical level normalisation", () => {
  it.each([
    ["dBm", "-19.5", -19.5],
    ["dBm", "-3", -3],
    ["dBm", "-21.55 dBm", -21.55],
    ["0.1dBm", "-195", -19.5],
    ["0.01dBm", "-1950", -19.5],
    ["0.001dBm", "-19500", -19.5],
    ["mW", "0.01", -20],
    ["uW", "11.22", -19.5],
    ["0.1uW", "112.2", -19.5],
    ["0.1uW", 10000, 0],
  ] as const)("reads %s %s as %s dBm", (unit, raw, dBm) => {
    expect(normaliseOpticalLevel({ unit }, raw)).toBeCloseTo(dBm, 2);
  });

  it.each([
    ["0.1uW", "0"],
    ["uW", "-1"],
    ["dBm", ""],
    ["dBm", "N/A"],
    ["dBm", "--"],
    ["dBm", "-60"],
    ["0.001dBm", "-65536"],
  ] as const)("takes %s %j as no signal", (unit, raw) => {
    expect(normaliseOpticalLevel({ unit }, raw)).toBeNull();
  });

  it("lets a mapping move the no-signal floor", () => {
    expect(normaliseOpticalLevel({ unit: "dBm", noSignalAtOrBelow: -40 }, "-40")).toBeNull();
    expect(normaliseOpticalLevel({ unit: "dBm", noSignalAtOrBelow: -40 }, "-39.9")).toBe(-39.9);
  });

  it("converts the other transceiver readings to °C, V and mA", () => {
    expect(normaliseReading({ unit: "1/256celsius" }, "11520")).toBe(45);
    expect(normaliseReading({ unit: "100uV" }, "32500")).toBe(3.25);
    expect(normaliseReading({ unit: "2uA" }, "4500")).toBe(9);
    expect(normaliseReading({ unit: "mV" }, "3415")).toBe(3.415);
    expect(normaliseReading({ unit: "uA" }, "9656.999023")).toBe(9.657);
  });

  it("classifies levels against GPON class B+", () => {
    expect([-3, -20, -25, -26, -27, -28, null].map((v) => classifyOpticalLevel(v))).toEqual([
      "overload",
      "good",
      "warning",
      "warning",
      "warning",
      "critical",
      "noSignal",
    ]);
  });
});

describe("monitoring mappings", () => {
  it("reads each vendor's optical path in its own unit", () => {
    const cases: [typeof HUAWEI, { name: string; value: string }[], Record<string, number | null>][] = [
      [
        HUAWEI,
        [
          { name: "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower", value: "-21" },
          { name: "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.SupplyVoltage", value: "3300" },
        ],
        { "optical.rxPower": -21, "optical.supplyVoltage": 3.3 },
      ],
      [
        NOKIA,
        [{ name: "InternetGatewayDevice.X_ALU_OntOpticalParam.RXPower", value: "-22.154" }],
        { "optical.rxPower": -22.154 },
      ],
      [
        ZTE,
        [
          { name: "InternetGatewayDevice.WANDevice.1.X_CT-COM_GponInterfaceConfig.RXPower", value: "63" },
          {
            name: "InternetGatewayDevice.WANDevice.1.X_CT-COM_GponInterfaceConfig.TransceiverTemperature",
            value: "12800",
          },
        ],
        { "optical.rxPower": -22.007, "optical.temperature": 50 },
      ],
      [
        TR181_ONT,
        [
          { name: "Device.Optical.Interface.1.OpticalSignalLevel", value: "-23456" },
          { name: "Device.WiFi.AccessPoint.1.AssociatedDeviceNumberOfEntries", value: "3" },
          { name: "Device.WiFi.AccessPoint.2.AssociatedDeviceNumberOfEntries", value: "4" },
        ],
        { "optical.rxPower": -23.456, "wifi.clients": 7 },
      ],
    ];
    for (const [device, values, expected] of cases) {
      const resolved = resolveMonitoring(mappings, device)!;
      expect(byMetric(metricReadings(resolved, values)), device.productClass).toEqual(expected);
    }
  });

  it("prefers the most specific file and ignores paths of other vendors", () => {
    const resolved = resolveMonitoring(mappings, HUAWEI)!;
    expect(resolved.fileIds).toEqual(["vendor-huawei", "tr098", "tr098-ct-com", "tr098-gpon-optics"]);
    expect(resolved.metrics.get("optical.rxPower")?.[0]?.from).toBe("vendor-huawei");
    expect(resolveMonitoring(mappings, { ...HUAWEI, dataModelRoot: null })).toBeNull();
  });

  it("says what is wrong with a broken mapping file", () => {
    const file = (metrics: object) => JSON.stringify({ id: "broken", match: { dataModelRoot: "Device" }, metrics });
    expect(() =>
      parseMonitoringMapping("broken.json", file({ "optical.rx": { path: "Device.X", unit: "dBm" } })),
    ).toThrow("monitoring mapping broken.json: optical.rx is not a metric");
    expect(() =>
      parseMonitoringMapping("broken.json", file({ "optical.rxPower": { path: "Device.X", unit: "mA" } })),
    ).toThrow("mA is a unit of current, not of opticalPower");
    expect(() =>
      parseMonitoringMapping(
        "broken.json",
        file({ "wifi.clients": { path: "Device.WiFi.AccessPoint.*.X", unit: "count" } }),
      ),
    ).toThrow('has "*" and needs an aggregate');
  });
});

/** The device dumps in ../shared: RFC 4180 CSV, either GenieACS's 12-column export or the older 5-column one. */
function readDump(file: string) {
  const text = readFileSync(join(dumpsDir, file), "utf8");
  const rows: string[][] = [];
  let field = "";
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  const [header, ...body] = rows;
  const at = (name: string) => header!.indexOf(name);
  const values = body
    .filter((r) => r[at("Object")] === "false")
    .map((r) => ({ name: r[at("Parameter")]!, value: r[at("Value")] ?? "" }));
  const get = (name: string) => values.find((v) => v.name === name)?.value ?? "";
  const root = values.some((v) => v.name.startsWith("Device.")) ? "Device" : "InternetGatewayDevice";
  return {
    values,
    device: {
      dataModelRoot: root,
      manufacturer: get("DeviceID.Manufacturer"),
      oui: get("DeviceID.OUI"),
      productClass: get("DeviceID.ProductClass"),
      modelName: get(`${root}.DeviceInfo.ModelName`) || null,
    },
  };
}

describe.skipIf(!haveDumps)("monitoring mappings on real device dumps", () => {
  it.each([
    [
      "anlix-genieacs-sim__huawei-EG8145V5__IGD.csv",
      {
        "optical.rxPower": -3,
        "optical.txPower": 2,
        "optical.temperature": 45,
        "optical.supplyVoltage": 3.415,
        "optical.biasCurrent": 7,
        "device.temperature": 45,
        "device.cpuUsage": 57,
        "device.memoryFree": 120072,
        "wifi.clients": 0,
        "device.uptime": 89910,
      },
    ],
    [
      "anlix-genieacs-sim__nokia-ALCL-G-1425G-A__IGD.csv",
      {
        "optical.rxPower": -3.409,
        "optical.txPower": 2.36,
        "optical.temperature": 41.6,
        "optical.supplyVoltage": 3.25,
        "optical.biasCurrent": 9.657,
        "device.temperature": 41,
        "device.cpuUsage": 3,
        "device.memoryFree": 292952,
        "wifi.clients": 1,
        "device.uptime": 3211,
      },
    ],
    [
      "anlix-genieacs-sim__tplink-EX220__Device2.csv",
      { "device.cpuUsage": 3, "device.memoryFree": 49528, "wifi.clients": 2, "device.uptime": 2480 },
    ],
    [
      "anlix-genieacs-sim__tplink-EC220-G5-v2__IGD.csv",
      { "device.cpuUsage": 9, "device.memoryFree": 33548, "device.uptime": 520 },
    ],
    ["genieacs-sim__huawei-BM632w__IGD.csv", { "wifi.clients": 3, "device.uptime": 213138 }],
  ])("reads %s", (file, expected) => {
    const dump = readDump(file);
    const resolved = resolveMonitoring(mappings, dump.device);
    expect(resolved, `${file}: no mapping`).not.toBeNull();
    const readings = byMetric(metricReadings(resolved!, dump.values));
    expect(readings).toEqual(expected);
  });

  it("classifies the two ONTs of the dumps, lit with a short lab fibre, as overloaded", () => {
    for (const file of [
      "anlix-genieacs-sim__huawei-EG8145V5__IGD.csv",
      "anlix-genieacs-sim__nokia-ALCL-G-1425G-A__IGD.csv",
    ]) {
      const dump = readDump(file);
      const rx = metricReadings(resolveMonitoring(mappings, dump.device)!, dump.values).find(
        (r) => r.metric === "optical.rxPower",
      );
      expect(classifyOpticalLevel(rx!.value)).toBe("overload");
    }
  });
});
if (!haveDumps)
  console.warn(`monitoring.test.ts: real device dumps skipped, ${dumpsDir} is absent (set BEACON_SHARED_DIR)`);

describe("time series", () => {
  let database: TestDatabase;
  let tenantId: string;
  let huaweiId: string;
  let nokiaId: string;
  const now = new Date("2026-11-24T12:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    const platform = await ensurePlatformTenant(database.db);
    tenantId = (await createTenant(database.db, { name: "Metro", kind: "operator", parentId: platform.id })).id;
    const make = (serialNumber: string, identity: typeof HUAWEI) =>
      database.db.device.create({
        data: { tenantId, serialNumber, ...identity, lastInformAt: now, periodicInformInterval: 300 },
      });
    huaweiId = (await make("HWTC00000001", HUAWEI)).id;
    nokiaId = (await make("ALCLFC000001", NOKIA)).id;
  });
  afterAll(() => database.drop());

  const rx = (path: string, value: string) => [{ name: path, value }];
  const HUAWEI_RX = "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower";
  const NOKIA_RX = "InternetGatewayDevice.X_ALU_OntOpticalParam.RXPower";

  it("records readings from parameter values and answers 24h, 7d and 30d series in buckets", async () => {
    const db = database.db;
    // Every 30 minutes for two days: a level sagging from -18 to about -21.
    for (let i = 0; i < 96; i++) {
      const at = new Date(now.getTime() - (96 - i) * 30 * 60_000);
      await recordSamples(db, huaweiId, rx(HUAWEI_RX, String(-18 - i / 32)), { at, mappings });
    }
    const unrelated = await recordSamples(
      db,
      huaweiId,
      [{ name: "InternetGatewayDevice.DeviceInfo.HardwareVersion", value: "5" }],
      { mappings },
    );
    expect(unrelated).toEqual([]);

    const day = await querySeries(db, huaweiId, "optical.rxPower", "24h", now);
    expect(day.points).toHaveLength(96);
    expect(day.unit).toBe("dBm");
    expect(day.bucketSeconds).toBe(900);
    const filled = day.points.filter((p) => p.readings > 0);
    expect(filled).toHaveLength(48);
    expect(filled.at(-1)!.avg).toBeCloseTo(-18 - 95 / 32, 3);
    const week = await querySeries(db, huaweiId, "optical.rxPower", "7d", now);
    expect(week.points).toHaveLength(168);
    expect(week.points.reduce((n, p) => n + p.readings, 0)).toBe(96);
    const month = await querySeries(db, huaweiId, "optical.rxPower", "30d", now);
    expect(month.points).toHaveLength(120);
    const latest = await db.deviceMetric.findUnique({
      where: { deviceId_metric: { deviceId: huaweiId, metric: "optical.rxPower" } },
    });
    expect(latest?.value).toBeCloseTo(-18 - 95 / 32, 3);

    // An older reading arriving late goes into the series but does not replace the latest.
    await recordSamples(db, huaweiId, rx(HUAWEI_RX, "-30"), { at: new Date(now.getTime() - 86_400_000 * 3), mappings });
    const after = await db.deviceMetric.findUnique({
      where: { deviceId_metric: { deviceId: huaweiId, metric: "optical.rxPower" } },
    });
    expect(after?.value).toBe(latest?.value);
    await expect(querySeries(db, huaweiId, "optical.nothing", "24h")).rejects.toThrow("unknown metric optical.nothing");
  });

  it("counts the domain's ONTs per optical class for the dashboard", async () => {
    const db = database.db;
    await recordSamples(db, nokiaId, rx(NOKIA_RX, "-27.5"), { at: now, mappings });
    const make = async (serialNumber: string, level: string, at: Date) => {
      const device = await db.device.create({ data: { tenantId, serialNumber, ...NOKIA } });
      await recordSamples(db, device.id, rx(NOKIA_RX, level), { at, mappings });
    };
    await make("ALCLFC000002", "-6.5", now);
    await make("ALCLFC000003", "", now);
    await make("ALCLFC000004", "-19.2", new Date(now.getTime() - 3 * 86_400_000));
    const distribution = await opticalDistribution(db, tenantId, { now });
    expect(distribution.devices).toBe(5);
    expect(distribution.classes).toEqual({ good: 1, warning: 0, critical: 1, overload: 1, noSignal: 1, stale: 1 });
    expect(distribution.histogram).toEqual([
      { fromDbm: -28, devices: 1 },
      { fromDbm: -21, devices: 1 },
      { fromDbm: -7, devices: 1 },
    ]);
    expect(distribution.percentiles?.p50).toBeCloseTo(-20.97, 2);
    const platform = await ensurePlatformTenant(db);
    expect((await opticalDistribution(db, platform.id, { now })).devices).toBe(5);
  });

  it("creates day partitions ahead, for late samples on demand, and drops those past retention", async () => {
    const db = database.db;
    const partitions = async () =>
      (
        await db.$queryRaw<{ name: string }[]>`
          SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'MetricSample' ORDER BY 1`
      ).map((r) => r.name);
    // A sample from long ago has no partition yet: recordSamples makes one.
    await recordSamples(db, nokiaId, rx(NOKIA_RX, "-20"), { at: new Date("2026-06-01T08:00:00Z"), mappings });
    expect(await partitions()).toContain("MetricSample_20260601");
    const result = await maintainSamplePartitions(db, { now, retentionDays: 35, daysAhead: 7 });
    expect(result.dropped).toBeGreaterThanOrEqual(1);
    const after = await partitions();
    expect(after).not.toContain("MetricSample_20260601");
    expect(after).toContain("MetricSample_20261201");
    expect(after).toContain("MetricSample_20261121");
    expect(
      await db.metricSample.count({ where: { deviceId: nokiaId, at: { lt: new Date("2026-07-01T00:00:00Z") } } }),
    ).toBe(0);
  });

  it("runs partitions, collection, alarm and diagnostic sweeps from one scheduler without errors", async () => {
    const errors: unknown[] = [];
    const scheduler = runMonitoringScheduler(database.db, {
      intervalMs: 3_600_000,
      clock: () => new Date("2027-01-10T12:00:00Z"),
      mappings,
      onError: (error) => errors.push(error),
    });
    await scheduler.tick();
    await scheduler.stop();
    expect(errors).toEqual([]);
    const [partition] = await database.db.$queryRaw<
      { name: string | null }[]
    >`SELECT to_regclass('"MetricSample_20270117"')::text AS name`;
    expect(partition?.name).toBe('"MetricSample_20270117"');
  });

  it("queues a getParameterValues for the profile's stale metrics, only with paths the device has", async () => {
    const db = database.db;
    await saveMonitoringProfile(
      db,
      {
        tenantId,
        name: "GPON optics",
        productClass: "G-1425G-A",
        metrics: ["optical.rxPower", "optical.temperature"],
        intervalSeconds: 900,
      },
      { label: "ops" },
    );
    const ont = await db.device.create({
      data: { tenantId, serialNumber: "ALCLFC000099", ...NOKIA, lastInformAt: now },
    });
    await db.deviceParameter.createMany({
      data: [
        "InternetGatewayDevice.X_ALU_OntOpticalParam.RXPower",
        "InternetGatewayDevice.X_ALU_OntOpticalParam.TransceiverTemperature",
        "InternetGatewayDevice.X_ALU_OntOpticalParam.TXPower",
      ].map((name) => ({ deviceId: ont.id, name, value: "0" })),
    });
    const first = await queueMetricCollection(db, now, { mappings });
    expect(first.queued).toBeGreaterThanOrEqual(1);
    const tasks = await db.task.findMany({ where: { deviceId: ont.id, kind: "getParameterValues" } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.args).toEqual({
      names: [
        "InternetGatewayDevice.X_ALU_OntOpticalParam.RXPower",
        "InternetGatewayDevice.X_ALU_OntOpticalParam.TransceiverTemperature",
      ],
    });
    expect(tasks[0]!.createdBy).toBe("monitoring");
    // Already queued: not again.
    await queueMetricCollection(db, now, { mappings });
    expect(await db.task.count({ where: { deviceId: ont.id, kind: "getParameterValues" } })).toBe(1);
    // Readings that came with an Inform are fresh: nothing to ask for.
    await db.task.updateMany({ where: { deviceId: ont.id }, data: { state: "done" } });
    await recordSamples(
      db,
      ont.id,
      [
        { name: "InternetGatewayDevice.X_ALU_OntOpticalParam.RXPower", value: "-21.1" },
        { name: "InternetGatewayDevice.X_ALU_OntOpticalParam.TransceiverTemperature", value: "44" },
      ],
      { at: now, mappings },
    );
    await queueMetricCollection(db, new Date(now.getTime() + 60_000), { mappings });
    expect(await db.task.count({ where: { deviceId: ont.id, kind: "getParameterValues", state: "pending" } })).toBe(0);
  });
});

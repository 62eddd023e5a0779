import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveNetworkMap, type NetworkMap } from "../src/networks/network-map.ts";
import { resolveMappingPath } from "../src/networks/network-paths.ts";
import {
  loadMappings,
  MappingFileInvalid,
  parseMappingFile,
  type ResolvedMapping,
  resolveMapping,
} from "../src/templates/mappings.ts";
import { SETTINGS } from "../src/templates/vocabulary.ts";
import { CPE_MODELS, type CpeModelFixture } from "./fixtures/cpe-models.ts";
import { DUMP_FILES, DUMPS_DIR, dumpsAvailable, readDump, skipNotice } from "./support/cpe-devices.ts";

const mappings = loadMappings();
const deviceSettings = Object.entries(SETTINGS)
  .filter(([, d]) => !d.beaconOnly)
  .map(([key]) => key);

function resolve(model: CpeModelFixture): ResolvedMapping {
  const { identity } = model;
  const mapping = resolveMapping(mappings, { ...identity, dataModelRoot: identity.root });
  if (!mapping) throw new Error(`no mapping for ${model.id}`);
  return mapping;
}

function networksOf(model: CpeModelFixture): NetworkMap {
  return deriveNetworkMap(model.identity.root, model.parameters);
}

/**
 * Every mapped path of the model's mapping, resolved through the network map derived from the model's own values
 * ({wifi.5g} -> the WLANConfiguration or SSID the device says is 5 GHz), with what the model says about it. A
 * setting for a network the device does not have (no 6 GHz radio, no guest network) has no path.
 */
function mappedPaths(model: CpeModelFixture) {
  const byName = new Map(model.parameters.map((p) => [p.name, p]));
  const networks = networksOf(model);
  const out: { setting: string; path: string; found: boolean; writable: boolean }[] = [];
  for (const [setting, m] of resolve(model).settings) {
    if (m.kind !== "parameters") continue;
    for (const p of m.parameters) {
      const resolved = resolveMappingPath(p.path, networks);
      if (!resolved.ok) continue;
      for (const path of resolved.paths) {
        const found = byName.get(path);
        out.push({ setting, path, found: Boolean(found), writable: found?.writable ?? false });
      }
    }
  }
  return out;
}

describe("mapping files", () => {
  it("all load, with one base file per data model root", () => {
    const bases = mappings.files.filter((f) => f.specificity === 0).map((f) => f.match.dataModelRoot);
    expect(bases.sort()).toEqual(["Device", "InternetGatewayDevice"]);
  });

  it("base files say something about every setting Beacon sends to devices, if only that it is unsupported", () => {
    for (const base of mappings.files.filter((f) => f.specificity === 0)) {
      expect(
        deviceSettings.filter((key) => !base.settings[key]),
        base.id,
      ).toEqual([]);
    }
  });

  it("refuse a file with an unknown setting, a path outside its root, a wildcard or an id unlike its name", () => {
    const file = (settings: object, id = "x") => JSON.stringify({ id, match: { dataModelRoot: "Device" }, settings });
    expect(() => parseMappingFile("x.json", file({ "wifi.2g.sid": "Device.WiFi.SSID.1.SSID" }))).toThrow(
      /not a setting/,
    );
    expect(() => parseMappingFile("x.json", file({ "wifi.2g.ssid": "InternetGatewayDevice.X" }))).toThrow(
      /not below Device/,
    );
    expect(() => parseMappingFile("x.json", file({ "wifi.2g.ssid": "Device.WiFi.SSID.{i}.SSID" }))).toThrow(
      /instance numbers/,
    );
    expect(() =>
      parseMappingFile("x.json", file({ "wifi.2g.security": { path: "Device.A", values: { wep: "WEP" } } })),
    ).toThrow(/not a value/);
    expect(() => parseMappingFile("x.json", file({}, "other"))).toThrow(/must match the file name/);
    expect(() => parseMappingFile("x.json", "{")).toThrow(MappingFileInvalid);
  });

  it("adding a vendor is adding a file: a new file in the folder takes part without code", () => {
    const dir = mkdtempSync(join(tmpdir(), "beacon-mappings-"));
    writeFileSync(
      join(dir, "tr181.json"),
      JSON.stringify({
        id: "tr181",
        match: { dataModelRoot: "Device" },
        settings: { "wifi.2g.ssid": "Device.WiFi.SSID.1.SSID" },
      }),
    );
    writeFileSync(
      join(dir, "vendor-acme.json"),
      JSON.stringify({
        id: "vendor-acme",
        match: { dataModelRoot: "Device", oui: ["A1B2C3"] },
        settings: { "wifi.2g.ssid": "Device.WiFi.SSID.9.SSID" },
      }),
    );
    const set = loadMappings(dir);
    const acme = resolveMapping(set, {
      dataModelRoot: "Device",
      manufacturer: "Acme",
      oui: "a1b2c3",
      productClass: "",
      modelName: null,
    });
    const other = resolveMapping(set, {
      dataModelRoot: "Device",
      manufacturer: "Other",
      oui: "000000",
      productClass: "",
      modelName: null,
    });
    expect(acme?.settings.get("wifi.2g.ssid")).toMatchObject({
      parameters: [{ path: "Device.WiFi.SSID.9.SSID" }],
      from: "vendor-acme",
    });
    expect(other?.settings.get("wifi.2g.ssid")).toMatchObject({ parameters: [{ path: "Device.WiFi.SSID.1.SSID" }] });
  });

  it("has no mapping for a device whose data model is not known", () => {
    expect(
      resolveMapping(mappings, {
        dataModelRoot: null,
        manufacturer: "x",
        oui: "x",
        productClass: "x",
        modelName: null,
      }),
    ).toBeNull();
  });
});

describe("mapping coverage on our own fixtures", () => {
  it.each(CPE_MODELS.map((m) => [m.id, m] as const))("%s resolves to its vendor and model files", (_id, model) => {
    expect(resolve(model).fileIds).toEqual(model.mappingFiles);
  });

  it.each(CPE_MODELS.map((m) => [m.id, m] as const))("%s has every mapped path, writable", (_id, model) => {
    const paths = mappedPaths(model);
    expect(paths.length).toBeGreaterThanOrEqual(15);
    expect(paths.filter((p) => !p.found).map((p) => `${p.setting} ${p.path}`)).toEqual([]);
    expect(paths.filter((p) => !p.writable).map((p) => `${p.setting} ${p.path}`)).toEqual([]);
  });

  it.each(CPE_MODELS.map((m) => [m.id, m] as const))("%s says something about every setting", (_id, model) => {
    const mapping = resolve(model);
    expect(deviceSettings.filter((key) => !mapping.settings.has(key))).toEqual([]);
  });

  it("puts the SSID and the passphrase where each data model and vendor keeps them", () => {
    const at = (id: string, setting: string) => {
      const model = CPE_MODELS.find((x) => x.id === id)!;
      const m = resolve(model).settings.get(setting);
      if (m?.kind !== "parameters") return m?.reason;
      return m.parameters.flatMap((p) => {
        const resolved = resolveMappingPath(p.path, networksOf(model));
        return resolved.ok ? resolved.paths : [resolved.reason];
      });
    };
    const wlan = "InternetGatewayDevice.LANDevice.1.WLANConfiguration";
    expect(at("huawei-eg8145v5", "wifi.5g.ssid")).toEqual([`${wlan}.5.SSID`]);
    expect(at("huawei-eg8145v5", "wifi.2g.passphrase")).toEqual([`${wlan}.1.PreSharedKey.1.PreSharedKey`]);
    expect(at("nokia-g-1425g-a", "wifi.2g.passphrase")).toEqual([`${wlan}.1.PreSharedKey.1.KeyPassphrase`]);
    expect(at("zte-f670l", "wifi.5g.passphrase")).toEqual([`${wlan}.5.PreSharedKey.1.KeyPassphrase`]);
    expect(at("tplink-ec220-g5", "wifi.5g.passphrase")).toEqual([`${wlan}.2.X_TP_PreSharedKey`]);
    expect(at("tplink-ex220", "wifi.5g.ssid")).toEqual(["Device.WiFi.SSID.3.SSID"]);
    expect(at("tplink-ex220", "wifi.2g.passphrase")).toEqual(["Device.WiFi.AccessPoint.1.Security.KeyPassphrase"]);
    expect(at("huawei-bm632w", "wifi.5g.ssid")).toMatch(/single 2.4 GHz radio/);
    expect(at("zte-f670l", "wifi.6g.ssid")).toEqual(["this device has no 6 GHz network Beacon recognises"]);
    expect(at("huawei-eg8145v5", "service.loid")).toEqual(["InternetGatewayDevice.DeviceInfo.X_HW_Loid"]);
  });
});

const dumpIds = Object.keys(DUMP_FILES);
if (!dumpsAvailable) console.warn(skipNotice("mapping coverage on the real device dumps"));

describe.skipIf(!dumpsAvailable)(`mapping coverage on the real device dumps (${DUMPS_DIR})`, () => {
  it.each(dumpIds)("%s: every path the mapping names exists in the dump and is writable", (id) => {
    const file = DUMP_FILES[id]!;
    expect(existsSync(join(DUMPS_DIR, file)), file).toBe(true);
    const dump = readDump(file);
    const paths = mappedPaths(dump);
    expect(paths.filter((p) => !p.found).map((p) => `${p.setting} ${p.path}`)).toEqual([]);
    expect(paths.filter((p) => !p.writable).map((p) => `${p.setting} ${p.path}`)).toEqual([]);
  });

  it.each(dumpIds)("%s: our fixture identifies the device as the dump does", (id) => {
    const dump = readDump(DUMP_FILES[id]!);
    const fixture = CPE_MODELS.find((m) => m.id === id)!;
    expect(resolve(dump).fileIds).toEqual(fixture.mappingFiles);
    const { serialNumber: _a, ...dumpIdentity } = dump.identity;
    const { serialNumber: _b, ...fixtureIdentity } = fixture.identity;
    expect(fixtureIdentity).toEqual(dumpIdentity);
  });

  it.each(dumpIds)("%s: every path of our fixture that a mapping names is in the dump too", (id) => {
    const dump = new Set(readDump(DUMP_FILES[id]!).parameters.map((p) => p.name));
    const fixture = CPE_MODELS.find((m) => m.id === id)!;
    const missing = mappedPaths(fixture)
      .map((p) => p.path)
      .filter((p) => !dump.has(p));
    expect(missing).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { deriveNetworkMap } from "../src/networks/network-map.ts";
import { loadMappings, resolveMapping } from "../src/templates/mappings.ts";
import { type KnownParameters, planDevice } from "../src/templates/plan.ts";
import { renderValue, templateTextProblems, usesVariable, type VariableContext } from "../src/templates/render.ts";
import { checkSettingValue } from "../src/templates/vocabulary.ts";
import { cpeModel } from "./fixtures/cpe-models.ts";

const context: VariableContext = {
  values: {
    room: {
      number: "101",
      name: "Garden suite",
      floor: "1",
      building: "Main",
      passphrase: "guest-pass-1",
      vars: { theme: "sea" },
    },
    site: { id: "s", name: "Hotel Azur" },
    device: { serial: "4857544300C0FFEE", mac: "00:25:9E:01:02:03", model: "EG8145V5" },
  },
  unavailable: { subscriber: "the device is not assigned to a subscriber line" },
};

describe("template values with variables", () => {
  it.each([
    ["Hotel-{{room.number}}", "Hotel-101"],
    ["{{ site.name }} {{room.name}}", "Hotel Azur Garden suite"],
    ["{{room.vars.theme}}", "sea"],
    ["AP-{{device.serial | last(6)}}", "AP-C0FFEE"],
    ["{{device.model | lower}}", "eg8145v5"],
    ["{{site.name | upper}}", "HOTEL AZUR"],
    ["{{room.vars.missing | default('none')}}", "none"],
    ["plain text", "plain text"],
  ])("renders %s as %s", (text, expected) => {
    expect(renderValue(text, context)).toEqual({ ok: true, value: expected, generated: false });
  });

  it("makes random passphrases of the asked length from characters a guest cannot confuse", () => {
    const a = renderValue("{{random.passphrase(12)}}", context);
    const b = renderValue("{{random.passphrase(12)}}", context);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{12}$/);
    expect(a.generated).toBe(true);
    expect(a.value).not.toBe(b.value);
    expect(checkSettingValue("wifi.2g.passphrase", a.value).ok).toBe(true);
  });

  it("makes digits and hex of the asked length", () => {
    const digits = renderValue("{{room.number}}-{{random.digits(6)}}", context);
    expect(digits.ok && digits.value).toMatch(/^101-\d{6}$/);
    expect(renderValue("{{random.hex(8)}}", context)).toMatchObject({
      ok: true,
      value: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
  });

  it("says which variable has no value and why", () => {
    expect(renderValue("{{subscriber.id}}@isp", context)).toEqual({
      ok: false,
      problem: "{{subscriber.id}} has no value: the device is not assigned to a subscriber line",
    });
    expect(renderValue("{{room.vars.nothing}}", context)).toEqual({
      ok: false,
      problem: "{{room.vars.nothing}} has no value here",
    });
  });

  it("never evaluates code: anything outside the grammar is a syntax problem", () => {
    for (const text of [
      "{{constructor.constructor('return process')()}}",
      "{{room.number + 1}}",
      "{{process.env.HOME}}",
      "{{room['number']}}",
      "{{`x`}}",
    ]) {
      const out = renderValue(text, context);
      expect(out.ok, text).toBe(false);
    }
  });

  it("finds mistakes when a template is saved", () => {
    expect(templateTextProblems("Hotel-{{room.numbr}}")[0]).toMatch(/room offers room.number/);
    expect(templateTextProblems("{{rom.number}}")[0]).toMatch(/unknown variable/);
    expect(templateTextProblems("{{random.pass(3)}}")[0]).toMatch(/random offers/);
    expect(templateTextProblems("{{random.passphrase}}")[0]).toMatch(/needs parentheses/);
    expect(templateTextProblems("{{room.number")[0]).toMatch(/never closed/);
    expect(templateTextProblems("{{room.vars}}")[0]).toMatch(/name one value/);
    expect(templateTextProblems("Hotel-{{room.number}} {{random.passphrase(10)}}")).toEqual([]);
  });

  it("refuses random lengths a passphrase cannot have", () => {
    expect(renderValue("{{random.passphrase(4)}}", context)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/between 8 and 63/),
    });
  });

  it("tells which variables a value uses", () => {
    expect(usesVariable("x{{ room.passphrase }}y", "room.passphrase")).toBe(true);
    expect(usesVariable("{{room.number}}", "room.passphrase")).toBe(false);
  });
});

describe("setting values", () => {
  it.each([
    ["wifi.2g.enable", "on", "true"],
    ["wifi.2g.enable", "0", "false"],
    ["wan.vlan", " 0100 ", "100"],
    ["management.periodicInformInterval", "300", "300"],
    ["wifi.5g.security", "wpa2-psk", "wpa2-psk"],
  ])("puts %s = %j in CWMP form", (key, raw, expected) => {
    expect(checkSettingValue(key, raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["wan.vlan", "4095", /between 0 and 4094/],
    ["wifi.2g.ssid", "x".repeat(33), /1 to 32 bytes/],
    ["wifi.2g.passphrase", "short", /8 to 63/],
    ["wifi.2g.security", "wep", /must be one of/],
    ["wifi.2g.enable", "maybe", /true or false/],
    ["ntp.server1", "ntp server", /host name/],
  ])("refuses %s = %j", (key, raw, problem) => {
    const checked = checkSettingValue(key, raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(problem);
  });
});

describe("planning a template for one device", () => {
  const model = cpeModel("tplink-ex220");
  const mapping = resolveMapping(loadMappings(), { ...model.identity, dataModelRoot: model.identity.root })!;
  const known: KnownParameters = {
    parameters: new Map(
      model.parameters.filter((p) => p.type).map((p) => [p.name, { type: p.type, writable: p.writable }]),
    ),
    objects: new Set(model.parameters.filter((p) => !p.type).map((p) => p.name)),
  };
  const networks = deriveNetworkMap("Device", model.parameters);
  const plan = (settings: Record<string, string>, extra: Partial<Parameters<typeof planDevice>[0]> = {}) =>
    planDevice({ root: "Device", mapping, networks, known, settings, context, ...extra });

  it("places settings given by meaning on the network the device says has that band, or waits for its networks", () => {
    expect(plan({ "wifi.2g.ssid": "A" }).values.map((v) => v.path)).toEqual(["Device.WiFi.SSID.1.SSID"]);
    const waiting = plan({ "wifi.2g.ssid": "A" }, { networks: null });
    expect(waiting.values).toEqual([]);
    expect(waiting.skipped).toEqual([expect.objectContaining({ setting: "wifi.2g.ssid", awaitsNetworks: true })]);
    expect(plan({ "wifi.6g.ssid": "A" }).skipped[0]?.reason).toBe("this device has no 6 GHz network Beacon recognises");
  });

  it("uses a value decided already instead of rendering, but only for settings the template still has", () => {
    const out = plan(
      { "wifi.2g.ssid": "{{random.hex(8)}}" },
      { fixed: { "wifi.2g.ssid": "Kept", "ntp.server1": "old.ntp" } },
    );
    expect(out.values.map((v) => [v.path, v.value])).toEqual([["Device.WiFi.SSID.1.SSID", "Kept"]]);
  });

  it("lets a raw parameter win over the setting mapped to the same path, and says so", () => {
    const out = plan({ "wifi.2g.ssid": "A" }, { rawParameters: [{ path: "Device.WiFi.SSID.1.SSID", value: "B" }] });
    expect(out.values.map((v) => [v.setting, v.value])).toEqual([[null, "B"]]);
    expect(out.skipped).toEqual([
      {
        setting: "wifi.2g.ssid",
        path: "Device.WiFi.SSID.1.SSID",
        reason: "overridden by the raw parameter Device.WiFi.SSID.1.SSID",
      },
    ]);
  });

  it("skips a whole setting when one of its parameters is missing, never half of it", () => {
    const partial: KnownParameters = {
      parameters: new Map(
        [...known.parameters].filter(([name]) => name !== "Device.WiFi.AccessPoint.1.Security.ModeEnabled"),
      ),
      objects: known.objects,
    };
    const out = planDevice({
      root: "Device",
      mapping,
      networks,
      known: partial,
      settings: { "wifi.2g.security": "wpa2-psk" },
      context,
    });
    expect(out.values).toEqual([]);
    expect(out.skipped[0]?.reason).toBe(
      "Device.WiFi.AccessPoint.1.Security.ModeEnabled is not among the device's parameters",
    );
  });

  it("keeps Beacon's own settings off the device and refuses an invalid rendered value", () => {
    const out = plan({ "checkout.passphrase": "{{random.passphrase(10)}}", "wan.vlan": "{{room.number}}0000" });
    expect(out.values).toEqual([]);
    expect(out.skipped).toEqual([{ setting: "wan.vlan", reason: "wan.vlan must be between 0 and 4094, not 1010000" }]);
  });

  it("has nothing to plan before the device's data model is known", () => {
    const out = planDevice({ root: null, mapping: null, known, settings: { "wifi.2g.ssid": "x" }, context });
    expect(out.skipped[0]?.reason).toMatch(/data model is not known yet/);
  });
});

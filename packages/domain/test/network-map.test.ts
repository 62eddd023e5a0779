import { describe, expect, it } from "vitest";
import { bandFrom, deriveNetworkMap, internetWan } from "../src/networks/network-map.ts";
import { resolveMappingPath } from "../src/networks/network-paths.ts";
import { touchesNetworks } from "../src/networks/read-network-map.ts";

const W = "InternetGatewayDevice.LANDevice.1.WLANConfiguration";
const values = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }));

describe("a network's band", () => {
  it.each([
    [{ reported: "5GHz" }, "5GHz", "reported"],
    [{ reported: "2.4G" }, "2.4GHz", "reported"],
    [{ channel: "149" }, "5GHz", "channel"],
    [{ channel: "11" }, "2.4GHz", "channel"],
    [{ channel: "197" }, "6GHz", "channel"],
    [{ channel: "0", possibleChannels: "36-64,100-140" }, "5GHz", "possible-channels"],
    [{ possibleChannels: "1,5,9,13,17,21,193,197" }, "6GHz", "possible-channels"],
    [{ standard: "11bgn" }, "2.4GHz", "standard"],
    [{ standard: "a,n,ac" }, "5GHz", "standard"],
    [{ standard: "ax" }, "unknown", "unknown"],
    [{}, "unknown", "unknown"],
  ] as const)("from %j is %s (%s)", (evidence, band, source) => {
    expect(bandFrom(evidence)).toEqual({ band, source });
  });
});

describe("a device's network map", () => {
  it("places TR-098 networks by band whatever their instance numbers, and names guest and backhaul networks", () => {
    const map = deriveNetworkMap(
      "InternetGatewayDevice",
      values({
        [`${W}.1.SSID`]: "Home-5G",
        [`${W}.1.Enable`]: "true",
        [`${W}.1.Channel`]: "44",
        [`${W}.2.SSID`]: "Home",
        [`${W}.2.Enable`]: "true",
        [`${W}.2.Channel`]: "6",
        [`${W}.3.SSID`]: "Home-Guest",
        [`${W}.3.Enable`]: "false",
        [`${W}.3.Channel`]: "6",
        [`${W}.4.SSID`]: "b05f6f5733e1b573c9f7474a91d8b4",
        [`${W}.4.SSIDAdvertisementEnabled`]: "false",
        [`${W}.4.Channel`]: "44",
        "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.Name": "1_TR069_R_VID_46",
        "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.2.WANPPPConnection.1.Name": "2_INTERNET_R_VID_10",
      }),
    );
    expect(map.networks.map((n) => [n.path, n.band, n.role, n.enabled])).toEqual([
      [`${W}.1.`, "5GHz", "main", true],
      [`${W}.2.`, "2.4GHz", "main", true],
      [`${W}.3.`, "2.4GHz", "guest", false],
      [`${W}.4.`, "5GHz", "backhaul", null],
    ]);
    expect(map.recognised).toBe(true);
    expect(internetWan(map, "ppp")?.path).toBe(
      "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.2.WANPPPConnection.1.",
    );
    expect(resolveMappingPath("{wifi.5g}.SSID", map)).toEqual({ ok: true, paths: [`${W}.1.SSID`] });
    expect(resolveMappingPath("{wan.ppp}.Username", map)).toEqual({
      ok: true,
      paths: ["InternetGatewayDevice.WANDevice.1.WANConnectionDevice.2.WANPPPConnection.1.Username"],
    });
    expect(resolveMappingPath("{wifi.6g}.SSID", map)).toMatchObject({ ok: false, unknownMap: false });
  });

  it("follows TR-181 LowerLayers and SSIDReference in any order", () => {
    const map = deriveNetworkMap(
      "Device",
      values({
        "Device.WiFi.Radio.1.OperatingFrequencyBand": "2.4GHz",
        "Device.WiFi.Radio.2.OperatingFrequencyBand": "5GHz",
        "Device.WiFi.SSID.1.SSID": "Five",
        "Device.WiFi.SSID.1.Enable": "true",
        "Device.WiFi.SSID.1.LowerLayers": "Device.WiFi.Radio.2",
        "Device.WiFi.SSID.2.SSID": "Two",
        "Device.WiFi.SSID.2.Enable": "true",
        "Device.WiFi.SSID.2.LowerLayers": "Device.WiFi.Radio.1.",
        "Device.WiFi.AccessPoint.1.SSIDReference": "Device.WiFi.SSID.2.",
        "Device.WiFi.AccessPoint.2.SSIDReference": "Device.WiFi.SSID.1",
        "Device.WiFi.AccessPoint.2.Enable": "false",
      }),
    );
    expect(map.networks.map((n) => [n.path, n.band, n.accessPoint, n.radio, n.enabled])).toEqual([
      ["Device.WiFi.SSID.1.", "5GHz", "Device.WiFi.AccessPoint.2.", "Device.WiFi.Radio.2.", false],
      ["Device.WiFi.SSID.2.", "2.4GHz", "Device.WiFi.AccessPoint.1.", "Device.WiFi.Radio.1.", true],
    ]);
    expect(resolveMappingPath("{wifi.5g.accessPoint}.Security.KeyPassphrase", map)).toEqual({
      ok: true,
      paths: ["Device.WiFi.AccessPoint.2.Security.KeyPassphrase"],
    });
  });

  it("says the networks are not recognised when no band can be told", () => {
    const map = deriveNetworkMap(
      "InternetGatewayDevice",
      values({ [`${W}.1.SSID`]: "Mystery", [`${W}.1.Enable`]: "true" }),
    );
    expect(map.recognised).toBe(false);
    expect(map.networks[0]).toMatchObject({ band: "unknown", role: "extra" });
    expect(map.problems[0]).toMatch(/band of .*WLANConfiguration\.1 \("Mystery"\) is neither reported nor derivable/);
    expect(resolveMappingPath("{wifi.2g}.SSID", null)).toMatchObject({ ok: false, unknownMap: true });
  });

  it("is read again when an Inform says a network changed, not for counters", () => {
    expect(touchesNetworks("InternetGatewayDevice", [`${W}.1.SSID`])).toBe(true);
    expect(touchesNetworks("InternetGatewayDevice", [`${W}.1.TotalAssociations`])).toBe(false);
    expect(touchesNetworks("Device", ["Device.DeviceInfo.SoftwareVersion"])).toBe(false);
  });
});

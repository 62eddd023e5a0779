import {
  applyTemplate,
  checkoutRoom,
  createTemplate,
  createTenant,
  ensurePlatformTenant,
  getCheckout,
  importRoomsCsv,
  type NetworkMap,
} from "@beacon/domain";
import { type SimulatedDevice, watchWifiClients } from "@beacon/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, eventually, simulatedOnu } from "./helpers/sim-device.ts";

/**
 * Our own WiFi models (packages/sim/src/models/wifi-models.ts) played over real HTTP: Beacon must find each
 * device's networks whatever their instance numbers, put the template's settings on the right ones, and end a
 * checkout "done" only when every network a guest could use took the new passphrase, "incomplete" naming each
 * one left otherwise.
 */

const actor = { label: "wifi-test@beacon.example" };

interface Expected {
  room: string;
  model: string;
  /** Secrets read back as set (else empty, as most devices do). */
  secretsReadBack?: boolean;
  /** Network object -> the SSID the template gives it. */
  ssids: Record<string, string>;
  /** Passphrase parameters of every network a guest could use. */
  passphrases: string[];
  /** Passphrase parameters that must keep their old value (switched-off networks). */
  untouched?: string[];
  /** Where PPPoE's user name goes. */
  pppoeUsername?: string;
  /** The checkout cannot complete: the network it must name. */
  incomplete?: RegExp;
}

const W = "InternetGatewayDevice.LANDevice.1.WLANConfiguration";
const WIFI = "Device.WiFi";

const MODELS: Expected[] = [
  {
    room: "201",
    model: "wifi-098-5g-first",
    ssids: { [`${W}.1.SSID`]: "Room-201-5G", [`${W}.2.SSID`]: "Room-201" },
    passphrases: [`${W}.1.KeyPassphrase`, `${W}.2.KeyPassphrase`],
    pppoeUsername: "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.Username",
  },
  {
    room: "202",
    model: "wifi-181-triband",
    secretsReadBack: true,
    ssids: {
      [`${WIFI}.SSID.1.SSID`]: "Room-202",
      [`${WIFI}.SSID.2.SSID`]: "Room-202-5G",
      [`${WIFI}.SSID.3.SSID`]: "Room-202-6G",
    },
    passphrases: [1, 2, 3].map((i) => `${WIFI}.AccessPoint.${i}.Security.KeyPassphrase`),
  },
  {
    room: "203",
    model: "wifi-181-guests",
    ssids: {
      [`${WIFI}.SSID.1.SSID`]: "Room-203",
      [`${WIFI}.SSID.3.SSID`]: "Room-203-5G",
      [`${WIFI}.SSID.2.SSID`]: "Room-203-Guest",
      [`${WIFI}.SSID.4.SSID`]: "Room-203-Guest",
    },
    passphrases: [1, 3, 4].map((i) => `${WIFI}.AccessPoint.${i}.Security.KeyPassphrase`),
  },
  {
    room: "204",
    model: "wifi-181-stacked",
    ssids: { [`${WIFI}.SSID.1.SSID`]: "Room-204-5G", [`${WIFI}.SSID.2.SSID`]: "Room-204" },
    // SSID.1 (5 GHz) is served by AccessPoint.2 and SSID.2 (2.4 GHz) by AccessPoint.1.
    passphrases: [1, 2].map((i) => `${WIFI}.AccessPoint.${i}.Security.KeyPassphrase`),
  },
  {
    room: "205",
    model: "wifi-098-channel-only",
    ssids: { [`${W}.3.SSID`]: "Room-205-5G", [`${W}.7.SSID`]: "Room-205" },
    passphrases: [`${W}.3.KeyPassphrase`, `${W}.7.KeyPassphrase`],
  },
  {
    room: "206",
    model: "wifi-098-pppoe-second",
    ssids: { [`${W}.1.SSID`]: "Room-206", [`${W}.5.SSID`]: "Room-206-5G" },
    passphrases: [`${W}.1.KeyPassphrase`, `${W}.5.KeyPassphrase`],
    pppoeUsername: "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.2.WANPPPConnection.1.Username",
  },
  {
    room: "207",
    model: "wifi-098-single-band",
    ssids: { [`${W}.1.SSID`]: "Room-207" },
    passphrases: [`${W}.1.KeyPassphrase`],
  },
  {
    room: "208",
    model: "wifi-181-locked-guest",
    ssids: { [`${WIFI}.SSID.1.SSID`]: "Room-208", [`${WIFI}.SSID.2.SSID`]: "Room-208-5G" },
    passphrases: [1, 2].map((i) => `${WIFI}.AccessPoint.${i}.Security.KeyPassphrase`),
    untouched: [`${WIFI}.AccessPoint.3.Security.KeyPassphrase`],
    incomplete: /5 GHz guest network "Guest-5G" \(Device\.WiFi\.SSID\.3\): refused the new passphrase/,
  },
];

describe("WiFi by meaning on devices that number their networks their own way, over real HTTP", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let hotelId: string;
  const devices = new Map<string, SimulatedDevice>();

  /** Sessions until the device has nothing left to do, as its periodic informs would. */
  async function settle(device: SimulatedDevice): Promise<string[]> {
    const rpcs: string[] = [];
    for (let i = 0; i < 8; i++) {
      const session = await device.inform();
      expect(session.outcome, session.error).toBe("completed");
      rpcs.push(...session.rpcs);
      if (session.rpcs.length) continue;
      const open = await fixture.db.task.count({
        where: { device: { serialNumber: device.serialNumber }, state: { in: ["pending", "running"] } },
      });
      if (!open) return rpcs;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${device.serialNumber} still had work after 8 sessions: ${rpcs.join(", ")}`);
  }

  async function deviceRow(device: SimulatedDevice) {
    return fixture.db.device.findFirstOrThrow({
      where: { serialNumber: device.serialNumber },
      include: { networkMap: true },
    });
  }

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({
      bootstrapUsername: BOOTSTRAP.username,
      bootstrapPassword: BOOTSTRAP.password,
      readNetworkMaps: true,
    });
    const platform = await ensurePlatformTenant(fixture.db);
    hotelId = (await createTenant(fixture.db, { name: "Hotel Vague", kind: "hotel", parentId: platform.id })).id;
    await createTemplate(
      fixture.db,
      {
        tenantId: hotelId,
        name: "Room WiFi by meaning",
        autoApply: true,
        settings: {
          "wifi.2g.ssid": "Room-{{room.number}}",
          "wifi.5g.ssid": "Room-{{room.number}}-5G",
          "wifi.6g.ssid": "Room-{{room.number}}-6G",
          "wifi.guest.ssid": "Room-{{room.number}}-Guest",
          "wifi.2g.passphrase": "{{room.passphrase}}",
          "wifi.5g.passphrase": "{{room.passphrase}}",
          "wifi.6g.passphrase": "{{room.passphrase}}",
          "wifi.guest.passphrase": "{{room.passphrase}}",
          "wan.pppoe.username": "room{{room.number}}@isp.example",
          "checkout.passphrase": "{{room.number}}-{{random.digits(8)}}",
        },
      },
      actor,
    );
    for (const m of MODELS) {
      devices.set(
        m.room,
        simulatedOnu(ingress.url, {
          model: m.model,
          serialNumber: `VAGUE${m.room}`,
          ...(m.secretsReadBack ? { secretsReadBack: true } : {}),
        }),
      );
    }
    const csv = ["room,floor,serial", ...MODELS.map(({ room }) => `${room},2,VAGUE${room}`)];
    const report = await importRoomsCsv(fixture.db, { siteId: hotelId, csv: csv.join("\n"), dryRun: false, actor });
    expect(report).toMatchObject({ rejected: 0, devicesRegistered: MODELS.length });
  });
  afterAll(async () => {
    await Promise.all([...devices.values()].map((d) => d.close()));
    await fixture?.close();
  });

  it.each(MODELS.map((m) => [m.model, m] as const))(
    "%s: reads its networks in the first session and puts the template on the right ones",
    async (_model, m) => {
      const device = devices.get(m.room)!;
      const first = await device.inform();
      expect(first.outcome, first.error).toBe("completed");
      // Bounded reads of the WiFi and WAN subtrees in the very first session, never the whole tree.
      expect(first.requests.filter((r) => r.type === "GetParameterNames").map((r) => r.parameterPath)).not.toContain(
        "",
      );
      await settle(device);
      const row = await deviceRow(device);
      expect(row.networkMap?.recognised, `${m.model}'s networks recognised`).toBe(true);
      const room = await fixture.db.room.findFirstOrThrow({ where: { tenantId: hotelId, number: m.room } });
      for (const [path, ssid] of Object.entries(m.ssids)) expect(device.get(path), path).toBe(ssid);
      for (const path of m.passphrases) expect(device.get(path), path).toBe(room.wifiPassphrase);
      for (const path of m.untouched ?? []) expect(device.get(path), path).toBe("previous-guest-1");
      if (m.pppoeUsername) expect(device.get(m.pppoeUsername)).toBe(`room${m.room}@isp.example`);
    },
  );

  it.each(MODELS.map((m) => [m.model, m] as const))(
    "%s: a checkout changes every network a guest could use and drops its clients, or ends incomplete naming what was left",
    async (_model, m) => {
      const device = devices.get(m.room)!;
      const watch = watchWifiClients(device);
      const result = await checkoutRoom(fixture.db, { siteId: hotelId, roomNumber: m.room, actor });
      await settle(device);
      watch.stop();
      for (const path of m.passphrases) expect(device.get(path), path).toBe(result.passphrase);
      for (const path of m.untouched ?? []) expect(device.get(path), path).toBe("previous-guest-1");
      const row = await deviceRow(device);
      const map = row.networkMap?.map as unknown as NetworkMap;
      const enabled = map.networks.filter((n) => n.enabled && n.role !== "backhaul").map((n) => n.path);
      const cycled = m.incomplete ? enabled.filter((p) => !/SSID\.3\.$/.test(p)) : enabled;
      for (const network of cycled) {
        expect(
          watch.dropped.some((d) => d === network || d.startsWith(network.replace(/SSID\.\d+\.$/, ""))),
          network,
        ).toBe(true);
      }

      const checkout = await eventually("the checkout to settle", async () => {
        const c = await getCheckout(fixture.db, result.checkoutId);
        return c.state === "pending" ? null : c;
      });
      if (m.incomplete) {
        expect(checkout.state).toBe("incomplete");
        expect(checkout.problem).toMatch(m.incomplete);
        const alarm = await fixture.db.alarm.findFirst({
          where: { deviceId: row.id, type: "checkout.incomplete", state: "active" },
        });
        expect(alarm?.message).toMatch(new RegExp(`Room ${m.room}: checkout incomplete`));
      } else {
        expect(checkout.state, checkout.problem ?? "").toBe("done");
        expect(checkout.networks.length).toBe(m.passphrases.length);
        const expected = m.secretsReadBack ? "changed" : "unverifiable";
        expect(new Set(checkout.networks.map((n) => n.status))).toEqual(new Set([expected]));
      }
    },
  );

  it("a checkout right after first contact reads the networks first in the same session and drops the clients", async () => {
    const device = simulatedOnu(ingress.url, { model: "wifi-181-guests", serialNumber: "VAGUE209" });
    devices.set("209", device);
    const csv = "room,floor,serial\n209,2,VAGUE209";
    await importRoomsCsv(fixture.db, { siteId: hotelId, csv, dryRun: false, actor });
    await settle(device);
    // A device Beacon knew before it kept network maps: nothing is known of its networks.
    await fixture.db.deviceNetworkMap.deleteMany({ where: { device: { serialNumber: "VAGUE209" } } });

    const watch = watchWifiClients(device);
    const result = await checkoutRoom(fixture.db, { siteId: hotelId, roomNumber: "209", actor });
    expect(result.readFirst).toBe(true);
    const session = await device.inform();
    watch.stop();
    const rpcs = session.requests.map((r) => r.type);
    expect(rpcs.indexOf("GetParameterNames")).toBeGreaterThanOrEqual(0);
    expect(rpcs.indexOf("GetParameterNames")).toBeLessThan(rpcs.indexOf("SetParameterValues"));
    expect([...watch.dropped].sort()).toEqual(["Device.WiFi.SSID.1.", "Device.WiFi.SSID.3.", "Device.WiFi.SSID.4."]);
    const checkout = await eventually("the checkout to settle", async () => {
      const c = await getCheckout(fixture.db, result.checkoutId);
      return c.state === "pending" ? null : c;
    });
    expect(checkout.state).toBe("done");
  });

  it("a template applied from the console lands by meaning too: 5 GHz on WLANConfiguration.1", async () => {
    const template = await fixture.db.template.findFirstOrThrow({ where: { tenantId: hotelId } });
    const device = devices.get("201")!;
    const row = await deviceRow(device);
    const applied = await applyTemplate(fixture.db, {
      templateId: template.id,
      target: { kind: "device", deviceId: row.id },
      actor,
    });
    expect(applied.devices[0]?.deferredTaskId).toBeNull();
    await settle(device);
    expect(device.get(`${W}.1.SSID`)).toBe("Room-201-5G");
    expect(device.get(`${W}.2.SSID`)).toBe("Room-201");
  });
});

import {
  createTemplate,
  createTenant,
  ensurePlatformTenant,
  importRoomsCsv,
  runFiasLinks,
  savePmsConnector,
} from "@beacon/domain";
import { FiasPmsStandIn, type SimulatedDevice } from "@beacon/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, eventually, simulatedOnu } from "./helpers/sim-device.ts";

const actor = { label: "owner@azur.example" };
const PASSPHRASE = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.KeyPassphrase";
const ROOMS = ["101", "102", "103"] as const;
const FAST = { leaseMs: 1500, scanMs: 100, keepAliveMs: 200, silenceMs: 2000, backoffMs: { min: 50, max: 200 } };

/**
 * Beacon's FIAS interface against a PMS stand-in over real TCP, feeding checkouts that run on simulated ONUs over
 * real HTTP, with real PostgreSQL.
 */
describe("a hotel's OPERA/Suite8 PMS over a FIAS link", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let pms: FiasPmsStandIn;
  let hotelId: string;
  let connectorId: string;
  let worker: ReturnType<typeof runFiasLinks>;
  const devices = new Map<string, SimulatedDevice>();

  async function settle(device: SimulatedDevice): Promise<void> {
    for (let i = 0; i < 8; i++) {
      const session = await device.inform();
      expect(session.outcome, session.error).toBe("completed");
      if (!session.rpcs.length) return;
    }
    throw new Error(`${device.serialNumber} still had work after 8 sessions`);
  }
  const checkoutsOf = (room: string) =>
    fixture.db.checkout.findMany({ where: { room: { tenantId: hotelId, number: room } } });
  const audited = (action: string) =>
    fixture.db.auditEvent.findMany({ where: { tenantId: hotelId, action }, orderBy: { createdAt: "asc" } });
  const connector = () => fixture.db.pmsConnector.findUniqueOrThrow({ where: { id: connectorId } });

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ bootstrapUsername: BOOTSTRAP.username, bootstrapPassword: BOOTSTRAP.password });
    const platform = await ensurePlatformTenant(fixture.db);
    hotelId = (await createTenant(fixture.db, { name: "Hôtel Azur", kind: "hotel", parentId: platform.id })).id;
    await createTemplate(
      fixture.db,
      {
        tenantId: hotelId,
        name: "Room WiFi",
        autoApply: true,
        settings: {
          "wifi.2g.ssid": "Azur-{{room.number}}",
          "wifi.2g.passphrase": "{{room.passphrase}}",
          "checkout.passphrase": "{{room.number}}-{{random.digits(8)}}",
        },
      },
      actor,
    );
    for (const room of ROOMS) devices.set(room, simulatedOnu(ingress.url, { serialNumber: `FIAS${room}ONU` }));
    const csv = ["room,floor,serial", ...ROOMS.map((room) => `${room},1,${devices.get(room)!.serialNumber}`)];
    await importRoomsCsv(fixture.db, { siteId: hotelId, csv: csv.join("\n"), dryRun: false, actor });
    for (const device of devices.values()) await settle(device);

    pms = await FiasPmsStandIn.start({ keepAliveMs: 150 });
    const saved = await savePmsConnector(
      fixture.db,
      {
        siteId: hotelId,
        kind: "fias",
        enabled: true,
        fiasHost: pms.host,
        fiasPort: pms.port,
        // The PMS numbers rooms "0101"; the site "101".
        roomMapping: { table: {}, stripPrefix: "", stripLeadingZeros: true, addPrefix: "" },
      },
      actor,
    );
    connectorId = saved.connector.id;
    worker = runFiasLinks(fixture.db, { holder: "worker-a", ...FAST });
  });
  afterAll(async () => {
    await worker?.stop();
    await pms?.close();
    await Promise.all([...devices.values()].map((d) => d.close()));
    await fixture?.close();
  });

  it("answers the PMS's LS with LS, LD (family, version), LR for GI/GC/GO and LA, and shows the link connected", async () => {
    await pms.waitForLink();
    expect(pms.problems).toEqual([]);
    const [description] = pms.receivedOf("LD");
    expect(description?.fields).toMatchObject({ IF: "WW", "V#": expect.any(String) });
    const declared = Object.fromEntries(pms.receivedOf("LR").map((r) => [r.fields.RI, r.fields.FL]));
    for (const [record, fields] of Object.entries({ GO: ["RN", "GS", "SF"], GC: ["RN", "RO"], GI: ["RN"] })) {
      for (const field of fields)
        expect(declared[record]?.match(/../g), `${record} asks for ${field}`).toContain(field);
    }
    await eventually("the connector to show the link connected", async () => (await connector()).state === "connected");
    expect(await audited("pms.link.connected")).toHaveLength(1);
  });

  it("keeps the link alive with LA while idle", async () => {
    const before = pms.receivedOf("LA").length;
    await eventually("two more LA from the interface", () => pms.receivedOf("LA").length >= before + 2, 3000);
    expect(pms.liveLinks).toBe(1);
  });

  it("checks out the mapped room on GO with GS=N, and the device takes the new passphrase", async () => {
    const before = devices.get("102")!.get(PASSPHRASE);
    pms.send("GO|RN0102|GSN|G#12345666|");
    const [checkout] = await eventually("a checkout of room 102", async () => {
      const rows = await checkoutsOf("102");
      return rows.length ? rows : null;
    });
    expect(checkout!.requestedBy).toBe("pms:fias");
    await settle(devices.get("102")!);
    expect(devices.get("102")!.get(PASSPHRASE)).toBe(checkout!.passphrase);
    expect(devices.get("102")!.get(PASSPHRASE)).not.toBe(before);
    await eventually("the checkout to be done", async () => {
      const row = await fixture.db.checkout.findUniqueOrThrow({ where: { id: checkout!.id } });
      return row.state === "done";
    });
    const [event] = await eventually("the checkout in the audit log", async () => {
      const events = await audited("pms.checkout");
      return events.length ? events : null;
    });
    expect(event?.after).toMatchObject({ pmsRoom: "0102", room: "102", reservation: "12345666" });
    const status = await connector();
    expect(status.checkoutCount).toBe(1);
    expect(status.lastRecordAt).not.toBeNull();
  });

  it("resets nothing on GO with GS=Y: a sharer is still in the room", async () => {
    pms.send("GO|RN0101|GSY|G#4242|");
    await eventually(
      "the shared check-out in the audit log",
      async () => (await audited("pms.checkout-shared")).length,
    );
    expect(await checkoutsOf("101")).toHaveLength(0);
  });

  it("resets the old room on a room move (GC with RO)", async () => {
    pms.send("GC|RN0103|RO0101|G#4242|GSN|");
    const [event] = await eventually("the room move's checkout of room 101 in the audit log", async () => {
      const events = (await audited("pms.checkout")).filter((e) => (e.after as { room: string }).room === "101");
      return events.length ? events : null;
    });
    expect(await checkoutsOf("101")).toHaveLength(1);
    expect(event?.after).toMatchObject({ reason: "room move", pmsRoom: "0101" });
    expect(await checkoutsOf("103")).toHaveLength(0);
  });

  it("resets no room for the records of a database resync (DS … DE, SF)", async () => {
    pms.resync(["GO|RN0103|GSN|G#9001|", "GI|RN0103|G#9002|GSN|", "GC|RN0103|RO0102|G#9003|GSN|"]);
    await eventually("the end of the resync", async () => (await audited("pms.resync-end")).length);
    expect(await checkoutsOf("103")).toHaveLength(0);
    expect(await checkoutsOf("102")).toHaveLength(1);
    expect(await audited("pms.resync-record")).toHaveLength(1);
  });

  it("skips malformed frames, logs them, and goes on reading the link", async () => {
    const errorsBefore = (await connector()).errorCount;
    const frame = (text: string) => Buffer.concat([Buffer.from([2]), Buffer.from(text, "latin1"), Buffer.from([3])]);
    pms.sendRaw(Buffer.from("garbage between frames"));
    pms.sendRaw(frame("G|RN0103|"));
    pms.sendRaw(frame("GO|R|GSN|"));
    pms.sendRaw(Buffer.concat([Buffer.from([2]), Buffer.from("GO|RN01")])); // cut short by the next STX
    pms.send("GO|RN0103|GSN|G#5555|");
    await eventually("a checkout of room 103", async () => (await checkoutsOf("103")).length === 1);
    const skipped = await audited("pms.record-skipped");
    expect(skipped.length).toBeGreaterThanOrEqual(4);
    expect((await connector()).errorCount).toBeGreaterThanOrEqual(errorsBefore + 4);
    expect(pms.liveLinks).toBe(1);
  });

  it("opens the link again after the PMS drops it, and after its Link End", async () => {
    const connections = pms.connections;
    pms.dropLinks();
    await eventually("the interface to connect again", () => pms.connections > connections && pms.liveLinks === 1);
    await eventually("the connector to show the link connected", async () => (await connector()).state === "connected");
    pms.endLinks();
    await eventually("the interface to connect again after LE", () => pms.connections > connections + 1);
    await pms.waitForLink();
    expect(pms.problems).toEqual([]);
    expect((await audited("pms.link.connected")).length).toBeGreaterThanOrEqual(2);
  });

  it("keeps one link however many workers run, and another worker takes it over when the holder stops", async () => {
    const second = runFiasLinks(fixture.db, { holder: "worker-b", ...FAST });
    try {
      const connections = pms.connections;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(pms.connections).toBe(connections);
      expect(pms.openConnections).toBe(1);
      expect((await connector()).leaseHolder).toBe("worker-a");
      await worker.stop();
      await eventually("worker-b to hold the link", async () => (await connector()).leaseHolder === "worker-b");
      await eventually("a live link again", () => pms.liveLinks === 1);
      expect(pms.openConnections).toBe(1);
      expect(pms.receivedOf("LE").length).toBeGreaterThanOrEqual(1);
    } finally {
      worker = second;
    }
  });
});

import { createApiToken, createTenant, ensurePlatformTenant, loadTenantAccess, tenantScope } from "@beacon/domain";
import type { SimulatedDevice } from "@beacon/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRestServer } from "../../../packages/api/test/helpers/rest-server.ts";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, eventually, IGD, simulatedOnu } from "./helpers/sim-device.ts";

/**
 * An integrator's script, as a customer would write it: nothing but an API token and plain HTTP calls to the REST
 * API. It creates a hotel, its rooms and its WiFi template, pre-registers an ONU, watches it provision, checks its
 * room out and reads the result. The ONU is a simulated device talking CWMP to a real ingress over real HTTP; what
 * the script is told is checked against what the device holds.
 */

const SSID = `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`;
const PASSPHRASE = `${IGD}.LANDevice.1.WLANConfiguration.1.KeyPassphrase`;

interface Answer {
  status: number;
  body: unknown;
}

describe("a hotel provisioned and checked out by a script holding only an API token", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let rest: Awaited<ReturnType<typeof startRestServer>>;
  let token: string;
  let onu: SimulatedDevice;

  /** What the script does: one HTTP call with its token, JSON in and out. */
  async function api(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${rest.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async function ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await api(method, path, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body as T;
  }

  /** The ONU's side: sessions until it has nothing left to do, as its periodic informs would bring. */
  async function informUntilIdle(device: SimulatedDevice): Promise<void> {
    for (let i = 0; i < 8; i++) {
      const session = await device.inform();
      expect(session.outcome, session.error).toBe("completed");
      if (!session.rpcs.length) return;
    }
    throw new Error(`${device.serialNumber} still had work after 8 sessions`);
  }

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({
      bootstrapUsername: BOOTSTRAP.username,
      bootstrapPassword: BOOTSTRAP.password,
      readNetworkMaps: true,
    });
    rest = await startRestServer(fixture.db);
    // What the console does once for the integrator: its domain, its owner, and a token the owner creates.
    const platform = await ensurePlatformTenant(fixture.db);
    const integrator = await createTenant(fixture.db, {
      name: "Coastal IT",
      kind: "integrator",
      parentId: platform.id,
    });
    const owner = await fixture.db.user.create({
      data: {
        email: "owner@coastal.example.com",
        passwordHash: "scrypt$unused",
        memberships: { create: { tenantId: integrator.id, role: "owner" } },
      },
    });
    const access = (await loadTenantAccess(fixture.db, owner.id))!;
    ({ token } = await createApiToken(tenantScope(fixture.db, access), access, {
      tenantId: integrator.id,
      name: "Provisioning script",
      role: "owner",
      expiresAt: new Date(Date.now() + 86_400_000),
    }));
    onu = simulatedOnu(ingress.url, { serialNumber: "AZUR0101" });
  });

  afterAll(async () => {
    await onu?.close();
    await rest?.close();
    await fixture?.close();
  });

  it("creates the hotel, its rooms and template, pre-registers the ONU, sees it provision and checks its room out", async () => {
    const me = await ok<{ domain: { id: string } }>("GET", "/token");

    const hotel = await ok<{ id: string }>("POST", "/domains", {
      parentId: me.domain.id,
      name: "Hotel Azur",
      kind: "hotel",
      timeZone: "Europe/Lisbon",
    });
    const range = await ok<{ created: string[] }>("POST", `/sites/${hotel.id}/rooms/range`, { from: 101, to: 103 });
    expect(range.created).toEqual(["101", "102", "103"]);
    await ok("POST", `/domains/${hotel.id}/templates`, {
      name: "Room WiFi",
      autoApply: true,
      settings: {
        "wifi.2g.ssid": "Azur-{{room.number}}",
        "wifi.2g.passphrase": "{{room.passphrase}}",
        "checkout.passphrase": "{{room.number}}-{{random.digits(6)}}",
      },
    });

    type Grid = {
      otherRooms: { id: string; number: string; state: string; assignment: { state: string } | null }[];
      buildings: { floors: { rooms: Grid["otherRooms"] }[] }[];
    };
    const roomsOf = (grid: Grid) => [
      ...grid.otherRooms,
      ...grid.buildings.flatMap((b) => b.floors.flatMap((f) => f.rooms)),
    ];
    const room = roomsOf(await ok<Grid>("GET", `/sites/${hotel.id}/rooms`)).find((r) => r.number === "101")!;
    expect(room.state).toBe("unprovisioned");

    const registered = await ok<{ state: string }>("POST", "/pre-registrations", {
      place: { roomId: room.id },
      serialNumber: onu.serialNumber,
      replace: false,
    });
    expect(registered.state).toBe("waiting");

    // The ONU is plugged in: it calls the ACS with its factory credential and is provisioned.
    await informUntilIdle(onu);
    const provisioned = await eventually("room 101 to show its ONU provisioned and online", async () => {
      const cell = roomsOf(await ok<Grid>("GET", `/sites/${hotel.id}/rooms`)).find((r) => r.number === "101")!;
      return cell.assignment?.state === "provisioned" && cell.state === "online" ? cell : null;
    });
    expect(provisioned.state).toBe("online");
    expect(onu.get(SSID)).toBe("Azur-101");
    const guestPassphrase = onu.get(PASSPHRASE);

    const checkout = await ok<{ id: string; state: string; passphrase: string }>(
      "POST",
      `/sites/${hotel.id}/rooms/101/checkout`,
      {},
    );
    expect(checkout.state).toBe("pending");
    expect(checkout.passphrase).toMatch(/^101-\d{6}$/);

    await informUntilIdle(onu);
    const done = await eventually("the checkout to finish", async () => {
      const read = await ok<{ state: string; networks: { status: string }[] }>("GET", `/checkouts/${checkout.id}`);
      return read.state === "pending" ? null : read;
    });
    expect(done.state).toBe("done");
    expect(done.networks.length).toBeGreaterThan(0);
    // What the script was told is what the ONU holds: the previous guest's passphrase is gone.
    expect(onu.get(PASSPHRASE)).toBe(checkout.passphrase);
    expect(onu.get(PASSPHRASE)).not.toBe(guestPassphrase);

    const audit = await ok<{ rows: { action: string; actorLabel: string }[] }>(
      "GET",
      `/audit?tenantId=${hotel.id}&action=room.checkout`,
    );
    expect(audit.rows.map((r) => r.actorLabel)).toEqual([`token:${token.split("_").slice(0, 2).join("_")}`]);
  });
});

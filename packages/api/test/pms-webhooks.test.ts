import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { claimDevice, createPmsWebhookReceiver, createRoom, createTenant, savePmsConnector } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlePmsWebhook } from "../src/index.ts";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { seedHotelStaff } from "./helpers/hotel-staff.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

const owner = { label: "owner@hotel.example.com" };

/** Our own sample payloads, in each vendor's documented shape; each names only a reservation. */
const MEWS_EVENTS = {
  EnterpriseId: "8c1b5a2e-4f3d-4c6b-9d0e-1a2b3c4d5e6f",
  IntegrationId: "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b",
  Events: [
    { Discriminator: "ServiceOrderUpdated", Value: { Id: "mews-res-departed" } },
    { Discriminator: "ServiceOrderUpdated", Value: { Id: "mews-res-in-house" } },
    { Discriminator: "CustomerAdded", Value: { Id: "mews-customer-1" } },
  ],
};
const APALEO_CHECKED_OUT = {
  topic: "Reservation",
  type: "checked-out",
  id: "5d1c2b3a-0000-4000-8000-00000000a1e0",
  accountId: "AZUR",
  propertyId: "AZUR-NCE",
  timestamp: 1_796_000_000_000,
  data: { entityId: "APLO-77-1" },
};
const CLOUDBEDS_CHECKED_OUT = {
  version: "1.0",
  event: "reservation/status_changed",
  timestamp: 1_796_000_000.123,
  propertyID: 20_431,
  reservationID: "CB4471902",
  status: "checked_out",
};

interface PmsApiCall {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown> | null;
}

/** The three PMSs' reservation APIs as far as Beacon reads them, answering only with the right credentials. */
async function startPmsApiStandIn(calls: PmsApiCall[]): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    const url = new URL(request.url ?? "/", "http://stand-in");
    calls.push({ method: request.method ?? "", path: url.pathname + url.search, headers: request.headers, body });
    const answer = (status: number, json: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(json));
    };
    if (url.pathname === "/api/connector/v1/reservations/getAll/2023-06-06") {
      if (body?.ClientToken !== "mews-client" || body?.AccessToken !== "mews-access") return answer(401, {});
      const id = (body.ReservationIds as string[])[0];
      const state = id === "mews-res-departed" ? "Processed" : "Started";
      return answer(200, { Reservations: [{ Id: id, State: state, AssignedResourceId: "res-unit-101" }] });
    }
    if (url.pathname === "/api/connector/v1/resources/getAll") {
      return answer(200, { Resources: [{ Id: "res-unit-101", Name: "101" }] });
    }
    if (url.pathname.startsWith("/booking/v1/reservations/")) {
      if (request.headers.authorization !== "Bearer apaleo-token") return answer(401, {});
      return answer(200, { id: "APLO-77-1", status: "CheckedOut", unit: { id: "AZUR-101", name: "R-101" } });
    }
    if (url.pathname === "/getReservation") {
      if (request.headers["x-api-key"] !== "cbat_key") return answer(401, { success: false });
      const id = url.searchParams.get("reservationID");
      return answer(200, {
        success: true,
        data: { reservationID: id, status: "checked_out", assigned: [{ roomName: "101", roomID: "8812-1" }] },
      });
    }
    answer(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** handlePmsWebhook behind a real HTTP server at /api/pms/{connectorId}/webhook, as the console mounts it. */
async function startWebhookServer(db: Db): Promise<{ url: string; server: Server }> {
  const receiver = createPmsWebhookReceiver(db, { fetchTimeoutMs: 3000 });
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers))
      if (typeof value === "string") headers.set(name, value);
    const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
      method: incoming.method,
      headers,
      body: incoming.method === "GET" ? undefined : Buffer.concat(chunks),
    });
    const connectorId = /^\/api\/pms\/([^/]+)\/webhook/.exec(new URL(request.url).pathname)?.[1] ?? "";
    const response = await handlePmsWebhook(request, { receiver, connectorId, maxBytes: 4096 });
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("cloud PMS webhooks (Mews, Apaleo, Cloudbeds)", () => {
  let database: TestDatabase;
  let db: Db;
  let api: { url: string; server: Server };
  let hooks: { url: string; server: Server };
  let trpc: ApiServer;
  let users: Record<Role, string>;
  const calls: PmsApiCall[] = [];
  const hotels = {} as Record<"mews" | "apaleo" | "cloudbeds", { id: string; connectorId: string; secret: string }>;

  const post = (
    kind: keyof typeof hotels,
    body: unknown,
    init: { query?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${hooks.url}/api/pms/${hotels[kind].connectorId}/webhook${init.query ?? ""}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...init.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const checkouts = (kind: keyof typeof hotels) =>
    db.checkout.findMany({ where: { tenantId: hotels[kind].id }, include: { room: true } });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    api = await startPmsApiStandIn(calls);
    hooks = await startWebhookServer(db);
    const staff = await seedHotelStaff(db);
    users = staff.users;
    trpc = await startApiServer(db);
    const platform = await db.tenant.findFirstOrThrow({ where: { kind: "platform" } });
    const kinds = ["mews", "apaleo", "cloudbeds"] as const;
    for (const kind of kinds) {
      const id =
        kind === "mews"
          ? staff.hotelId
          : (await createTenant(db, { name: `Hotel ${kind}`, kind: "hotel", parentId: platform.id })).id;
      for (const number of ["101", "102"]) {
        const device = await db.device.create({
          data: { tenantId: id, oui: "001122", serialNumber: `${kind}-${number}`, dataModelRoot: "Device" },
        });
        const room = await createRoom(db, { siteId: id, number });
        await claimDevice(db, { deviceId: device.id, roomId: room.id }, owner);
      }
      const saved = await savePmsConnector(
        db,
        {
          siteId: id,
          kind,
          enabled: true,
          apiBaseUrl: api.url,
          apiClientToken: kind === "mews" ? "mews-client" : undefined,
          apiAccessToken: { mews: "mews-access", apaleo: "apaleo-token", cloudbeds: "cbat_key" }[kind],
          roomMapping: {
            table: {},
            stripPrefix: kind === "apaleo" ? "R-" : "",
            stripLeadingZeros: false,
            addPrefix: "",
          },
        },
        owner,
      );
      hotels[kind] = { id, connectorId: saved.connector.id, secret: saved.webhookSecret! };
    }
  });
  afterAll(async () => {
    await trpc?.close();
    for (const s of [api?.server, hooks?.server]) await new Promise((resolve) => s?.close(resolve));
    await database?.drop();
  });

  it("Mews (token in the URL): reads each updated reservation's state and room, and checks out the departed one", async () => {
    const response = await post("mews", MEWS_EVENTS, { query: `?token=${hotels.mews.secret}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 3, checkouts: 1, ignored: 2, problems: [] });
    const rows = await checkouts("mews");
    expect(rows.map((r) => [r.room.number, r.requestedBy])).toEqual([["101", "pms:mews"]]);
    const read = calls.filter((c) => c.path.startsWith("/api/connector/v1/reservations/getAll"));
    expect(read.map((c) => (c.body?.ReservationIds as string[] | undefined)?.[0])).toEqual([
      "mews-res-departed",
      "mews-res-in-house",
    ]);
    const audit = await db.auditEvent.findMany({ where: { tenantId: hotels.mews.id, action: { startsWith: "pms." } } });
    expect(audit.map((a) => a.action).sort()).toEqual(
      ["pms.checkout", "pms.create", "pms.reservation-updated", "pms.webhook-ignored"].sort(),
    );
  });

  it("Apaleo (Basic authentication): fetches the reservation's unit and maps its name to the site's room", async () => {
    const basic = Buffer.from(`apaleo:${hotels.apaleo.secret}`).toString("base64");
    const response = await post("apaleo", APALEO_CHECKED_OUT, { headers: { authorization: `Basic ${basic}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checkouts: 1 });
    expect((await checkouts("apaleo")).map((r) => r.room.number)).toEqual(["101"]);
    expect(calls.some((c) => c.path === "/booking/v1/reservations/APLO-77-1")).toBe(true);
  });

  it("Cloudbeds (HMAC-SHA256 signature or token): fetches the reservation's assigned room", async () => {
    const body = JSON.stringify(CLOUDBEDS_CHECKED_OUT);
    const signature = createHmac("sha256", hotels.cloudbeds.secret).update(body).digest("hex");
    const signed = await post("cloudbeds", body, { headers: { "x-signature": signature } });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ checkouts: 1 });
    const other = { ...CLOUDBEDS_CHECKED_OUT, status: "checked_in" };
    const ignored = await post("cloudbeds", other, { query: `?token=${hotels.cloudbeds.secret}` });
    expect(await ignored.json()).toMatchObject({ checkouts: 0, ignored: 1 });
    expect((await checkouts("cloudbeds")).map((r) => r.room.number)).toEqual(["101"]);
  });

  it("refuses a call without the secret, with a wrong one or a wrong signature, as an RFC 9457 problem", async () => {
    const before = (await checkouts("cloudbeds")).length;
    const body = JSON.stringify(CLOUDBEDS_CHECKED_OUT);
    const answers = [
      await post("cloudbeds", body),
      await post("cloudbeds", body, { query: "?token=pms_wrong" }),
      await post("cloudbeds", body, { query: `?token=${hotels.mews.secret}` }),
      await post("cloudbeds", body, {
        headers: { "x-signature": createHmac("sha256", "nope").update(body).digest("hex") },
      }),
      await post("cloudbeds", body, { headers: { authorization: "Basic bm9ib2R5Og==" } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(await answer.json()).toMatchObject({
        status: 401,
        code: "unauthenticated",
        type: "urn:beacon:problem:unauthenticated",
      });
    }
    expect((await checkouts("cloudbeds")).length).toBe(before);
    const refused = await db.auditEvent.count({
      where: { tenantId: hotels.cloudbeds.id, action: "pms.webhook-refused" },
    });
    expect(refused).toBe(answers.length);
    const connector = await db.pmsConnector.findUniqueOrThrow({ where: { id: hotels.cloudbeds.connectorId } });
    expect(connector.lastError).toMatch(/refused/);
  });

  it("refuses a body over the limit, a body that is not JSON, and an unknown connector", async () => {
    const token = `?token=${hotels.mews.secret}`;
    const big = await post("mews", JSON.stringify({ Events: [], pad: "x".repeat(5000) }), { query: token });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: "too_large" });
    const broken = await post("mews", "{not json", { query: token });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: "invalid_json" });
    const unknown = await fetch(`${hooks.url}/api/pms/00000000-0000-4000-8000-000000000000/webhook${token}`, {
      method: "POST",
      body: "{}",
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "not_found" });
  });

  it("shows a viewer the connector and its status but no secret or credential, and lets only an owner change it", async () => {
    const seen = await callProcedure(trpc.url, users.viewer, "pms.get", "query", { siteId: hotels.mews.id });
    expect(seen.data).toMatchObject({ kind: "mews", webhookSecretSet: true, apiAccessTokenSet: true });
    for (const secret of [hotels.mews.secret, "mews-access", "mews-client"]) expect(seen.text).not.toContain(secret);
    const settings = { siteId: hotels.mews.id, kind: "mews", enabled: false, apiBaseUrl: api.url };
    for (const role of ["viewer", "support", "operator"] as const) {
      const refused = await callProcedure(trpc.url, users[role], "pms.save", "mutation", settings);
      expect(refused.error?.code, role).toBe("FORBIDDEN");
      const rotate = await callProcedure(trpc.url, users[role], "pms.rotateSecret", "mutation", {
        siteId: hotels.mews.id,
      });
      expect(rotate.error?.code, role).toBe("FORBIDDEN");
    }
    const rotated = await callProcedure(trpc.url, users.owner, "pms.rotateSecret", "mutation", {
      siteId: hotels.mews.id,
    });
    const fresh = (rotated.data as { webhookSecret: string }).webhookSecret;
    expect(fresh).toMatch(/^pms_/);
    expect((await post("mews", MEWS_EVENTS, { query: `?token=${hotels.mews.secret}` })).status).toBe(401);
    const saved = await callProcedure(trpc.url, users.owner, "pms.save", "mutation", settings);
    expect(saved.data).toMatchObject({ connector: { enabled: false }, webhookSecret: null });
    expect((await post("mews", MEWS_EVENTS, { query: `?token=${fresh}` })).status).toBe(404);
  });
});

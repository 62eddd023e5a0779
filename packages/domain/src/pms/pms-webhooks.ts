import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Db, PmsConnector } from "@beacon/db";
import { callJsonApi } from "../webhooks/send-webhook.ts";
import { CLOUD_PMS_KINDS } from "./pms-connectors.ts";
import { checkoutPmsRoom, notePmsEvent, notePmsProblem, notePmsRecord, type PmsEffects } from "./pms-events.ts";

/**
 * Cloud PMSs tell Beacon of a departure by webhook; Beacon then reads the reservation's room from the PMS's API
 * (their events name only the reservation) and runs the room's checkout.
 *
 * How each proves the call is its own, as each vendor offers it:
 * - Mews (Connector API, General Webhooks: `{EnterpriseId, IntegrationId, Events: [{Discriminator:
 *   "ServiceOrderUpdated", Value: {Id}}]}`) does not sign; it adds a shared secret token to the URL it calls:
 *   `?token=<secret>`.
 * - Apaleo (`{topic: "Reservation", type: "checked-out", data: {entityId}}`) does not sign either and recommends
 *   Basic authentication: the secret is the password (any user name), or `?token=` in the URL.
 * - Cloudbeds (`{event: "reservation/status_changed", reservationID, status: "checked_out"}`): `?token=` in the URL.
 * A relay that can sign may instead send `X-Signature`: the HMAC-SHA256 of the raw body keyed by the secret, in hex
 * or base64. A call without any of these, or with a wrong one, is refused before its body is read as JSON.
 */

export interface PmsWebhookCall {
  connectorId: string;
  url: URL;
  headers: Headers;
  body: string;
}

export type PmsWebhookOutcome =
  | { ok: true; status: 200; result: { received: number; checkouts: number; ignored: number; problems: string[] } }
  | { ok: false; code: "not_found" | "unauthenticated" | "invalid_json" | "invalid_input"; detail: string };

export interface PmsWebhookOptions extends PmsEffects {
  /** The PMS API's answer time limit when reading a reservation. */
  fetchTimeoutMs?: number;
  /** Lets the PMS API address be loopback or private (an on-premises PMS; tests). Off: public addresses only. */
  allowPrivateNetworks?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function receivePmsWebhook(
  db: Db,
  call: PmsWebhookCall,
  options: PmsWebhookOptions = {},
): Promise<PmsWebhookOutcome> {
  const connector = UUID.test(call.connectorId)
    ? await db.pmsConnector.findUnique({ where: { id: call.connectorId } })
    : null;
  if (!connector || !CLOUD_PMS_KINDS.includes(connector.kind) || !connector.enabled || !connector.webhookSecret) {
    return { ok: false, code: "not_found", detail: "No enabled cloud PMS connector answers at this address." };
  }
  const presented = presentedSecret(call);
  if (!presented) {
    await notePmsProblem(db, connector, "pms.webhook-refused", "a webhook call without its secret was refused");
    return {
      ok: false,
      code: "unauthenticated",
      detail:
        "This call carries no secret: add ?token=<secret> to the URL, use it as the Basic password, or sign the body (X-Signature: HMAC-SHA256).",
    };
  }
  if (!secretMatches(connector.webhookSecret, presented, call.body)) {
    await notePmsProblem(db, connector, "pms.webhook-refused", "a webhook call with a wrong secret was refused");
    return { ok: false, code: "unauthenticated", detail: "The secret or signature of this call does not match." };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(call.body);
  } catch {
    await notePmsProblem(db, connector, "pms.webhook-refused", "a webhook body that is not JSON was refused");
    return { ok: false, code: "invalid_json", detail: "The body is not JSON." };
  }
  await notePmsRecord(db, connector.id);
  const events = departures(connector.kind, payload);
  if (events === null) {
    await notePmsProblem(db, connector, "pms.webhook-refused", `a body that is not a ${connector.kind} webhook`);
    return { ok: false, code: "invalid_input", detail: `The body is not a ${connector.kind} webhook event.` };
  }
  const result = { received: events.length, checkouts: 0, ignored: 0, problems: [] as string[] };
  for (const event of events) {
    if (event.kind === "other") {
      result.ignored++;
      await notePmsEvent(db, connector, "pms.webhook-ignored", { event: event.name });
      continue;
    }
    const rooms = await reservationRooms(connector, event.reservationId, options).catch((error: Error) => error);
    if (rooms instanceof Error) {
      const problem = `reservation ${event.reservationId}: ${rooms.message}`;
      result.problems.push(problem);
      await notePmsProblem(db, connector, "pms.reservation-unreadable", problem, { reservation: event.reservationId });
      continue;
    }
    if (rooms.state !== "checked-out") {
      result.ignored++;
      await notePmsEvent(db, connector, "pms.reservation-updated", {
        reservation: event.reservationId,
        state: rooms.state,
      });
      continue;
    }
    for (const pmsRoom of rooms.rooms) {
      const outcome = await checkoutPmsRoom(
        db,
        connector,
        { pmsRoom, reservation: event.reservationId, reason: "check-out" },
        options,
      );
      if (outcome.ok) result.checkouts++;
      else result.problems.push(outcome.problem);
    }
    if (rooms.rooms.length === 0) {
      const problem = `reservation ${event.reservationId} was checked out without a room assigned`;
      result.problems.push(problem);
      await notePmsProblem(db, connector, "pms.checkout-failed", problem, { reservation: event.reservationId });
    }
  }
  return { ok: true, status: 200, result };
}

function presentedSecret(call: PmsWebhookCall): { token: string } | { signature: string } | null {
  const token = call.url.searchParams.get("token");
  if (token) return { token };
  const authorization = call.headers.get("authorization") ?? "";
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const password = decoded.slice(decoded.indexOf(":") + 1);
    if (password) return { token: password };
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return { token: bearer[1]! };
  const signature = call.headers.get("x-signature");
  if (signature) return { signature: signature.trim() };
  return null;
}

function secretMatches(secret: string, presented: { token: string } | { signature: string }, body: string): boolean {
  if ("token" in presented) return sameBytes(digest(secret), digest(presented.token));
  const mac = createHmac("sha256", secret).update(body, "utf8").digest();
  const given = /^(sha256=)?[0-9a-f]{64}$/i.test(presented.signature)
    ? Buffer.from(presented.signature.replace(/^sha256=/i, ""), "hex")
    : Buffer.from(presented.signature, "base64");
  return given.length === mac.length && timingSafeEqual(given, mac);
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

type Departure = { kind: "reservation"; reservationId: string } | { kind: "other"; name: string };

/** The events of a webhook body that may be departures; null when the body is not this PMS's webhook at all. */
export function departures(kind: PmsConnector["kind"], payload: unknown): Departure[] | null {
  if (!isObject(payload)) return null;
  if (kind === "mews") {
    if (!Array.isArray(payload.Events)) return null;
    return payload.Events.map((event): Departure => {
      const name = isObject(event) && typeof event.Discriminator === "string" ? event.Discriminator : "unknown";
      const id = isObject(event) && isObject(event.Value) ? event.Value.Id : undefined;
      // A reservation is a Service Order in Mews; its update says nothing of what changed: its state is read.
      return name === "ServiceOrderUpdated" && typeof id === "string" && id
        ? { kind: "reservation", reservationId: id }
        : { kind: "other", name };
    });
  }
  if (kind === "apaleo") {
    if (typeof payload.topic !== "string" || typeof payload.type !== "string") return null;
    const id = isObject(payload.data) ? payload.data.entityId : undefined;
    const name = `${payload.topic}/${payload.type}`;
    return [
      payload.topic.toLowerCase() === "reservation" && payload.type === "checked-out" && typeof id === "string" && id
        ? { kind: "reservation", reservationId: id }
        : { kind: "other", name },
    ];
  }
  if (kind === "cloudbeds") {
    if (typeof payload.event !== "string") return null;
    const id = payload.reservationID ?? payload.reservationId;
    return [
      payload.event === "reservation/status_changed" &&
      payload.status === "checked_out" &&
      (typeof id === "string" || typeof id === "number") &&
      String(id)
        ? { kind: "reservation", reservationId: String(id) }
        : { kind: "other", name: payload.event },
    ];
  }
  return null;
}

interface ReservationRooms {
  /** "checked-out" when the PMS says the guest has left. */
  state: string;
  rooms: string[];
}

/** Reads a reservation's state and room(s) from the PMS's API at the connector's address. */
async function reservationRooms(
  connector: PmsConnector,
  reservationId: string,
  options: PmsWebhookOptions,
): Promise<ReservationRooms> {
  const base = (connector.apiBaseUrl ?? "").replace(/\/+$/, "");
  if (!base) throw new Error("no PMS API address is configured");
  // The console must not be made to call its own network: a PMS API address that resolves to a loopback or
  // private address is refused when the connection is made, unless allowed (BEACON_PMS_API_ALLOW_PRIVATE_NETWORKS).
  const call = async (
    path: string,
    init: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: object } = {},
  ): Promise<Record<string, unknown>> => {
    const what = path.split("?")[0];
    const answer = await callJsonApi(`${base}${path}`, {
      method: init.method ?? "GET",
      headers: init.headers ?? {},
      ...(init.body ? { body: init.body } : {}),
      timeoutMs: options.fetchTimeoutMs ?? 5000,
      allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    }).catch((error: Error) => {
      throw new Error(`the PMS API could not be called (${error.message})`);
    });
    if (answer.status < 200 || answer.status >= 300)
      throw new Error(`the PMS API answered ${answer.status} to ${what}`);
    if (!isObject(answer.body)) throw new Error(`the PMS API's answer to ${what} is not a JSON object`);
    return answer.body;
  };
  const token = connector.apiAccessToken ?? "";
  if (connector.kind === "mews") {
    const credentials = { ClientToken: connector.apiClientToken ?? "", AccessToken: token, Client: "Beacon" };
    const post = (path: string, body: object) => call(path, { method: "POST", body: { ...credentials, ...body } });
    const found = await post("/api/connector/v1/reservations/getAll/2023-06-06", {
      ReservationIds: [reservationId],
      Limitation: { Count: 1 },
    });
    const reservation = Array.isArray(found.Reservations) ? found.Reservations.find(isObject) : undefined;
    if (!reservation) throw new Error("the PMS does not know this reservation");
    // Mews: a reservation's State is Processed once the guest has checked out.
    const state = reservation.State === "Processed" ? "checked-out" : String(reservation.State);
    const resourceId = reservation.AssignedResourceId;
    if (state !== "checked-out" || typeof resourceId !== "string") return { state, rooms: [] };
    const resources = await post("/api/connector/v1/resources/getAll", {
      ResourceIds: [resourceId],
      Limitation: { Count: 1 },
    });
    const resource = Array.isArray(resources.Resources) ? resources.Resources.find(isObject) : undefined;
    return { state, rooms: typeof resource?.Name === "string" ? [resource.Name] : [] };
  }
  if (connector.kind === "apaleo") {
    const reservation = await call(`/booking/v1/reservations/${encodeURIComponent(reservationId)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const state = reservation.status === "CheckedOut" ? "checked-out" : String(reservation.status);
    const unit = isObject(reservation.unit) ? reservation.unit : undefined;
    return { state, rooms: typeof unit?.name === "string" ? [unit.name] : [] };
  }
  const answer = await call(`/getReservation?reservationID=${encodeURIComponent(reservationId)}`, {
    headers: { "x-api-key": token },
  });
  const reservation = isObject(answer.data) ? answer.data : undefined;
  if (answer.success === false || !reservation) throw new Error("the PMS does not know this reservation");
  const state = reservation.status === "checked_out" ? "checked-out" : String(reservation.status);
  const assigned = Array.isArray(reservation.assigned) ? reservation.assigned.filter(isObject) : [];
  return {
    state,
    rooms: assigned.map((room) => room.roomName).filter((name): name is string => typeof name === "string"),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface PmsWebhookReceiver {
  receive(call: PmsWebhookCall): Promise<PmsWebhookOutcome>;
}

/** What the console's webhook route holds instead of the database (as createApiTokenAuthority for tokens). */
export function createPmsWebhookReceiver(db: Db, options: PmsWebhookOptions = {}): PmsWebhookReceiver {
  return { receive: (call) => receivePmsWebhook(db, call, options) };
}

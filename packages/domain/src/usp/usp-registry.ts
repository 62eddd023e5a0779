import type { Db } from "@beacon/db";
import { type AdmissionSettings, type DeviceIdentity, decideAdmission, type Principal } from "../cpe-auth/admission.ts";
import { identityFromEndpointId } from "./endpoint-id.ts";

/** How an agent reached Beacon; where replies and requests go. */
export interface AgentContact {
  endpointId: string;
  /** "websocket", "mqtt5" or "mqtt3" (MQTT 3.1.1, reply-to in the topic). */
  mtp: UspMtp;
  /** MQTT: the topic the agent asked replies on. */
  replyTopic?: string;
  principal: Principal;
}

export type UspMtp = "websocket" | "mqtt5" | "mqtt3";

export interface UspAgentDevice {
  id: string;
  tenantId: string;
  created: boolean;
  provisionedAt: Date | null;
  identity: DeviceIdentity;
}

export type RegisterAgentResult = { kind: "registered"; device: UspAgentDevice } | { kind: "rejected"; reason: string };

export interface RegisterAgentInput {
  contact: AgentContact;
  /** From an OnBoardRequest; otherwise what the endpoint id tells. */
  identity?: DeviceIdentity;
  /** "Boot!" or "OnBoardRequest", recorded as the device's event. */
  event: { code: string; commandKey?: string };
  tenantIdForNewDevices: string;
  admission: AdmissionSettings;
  now: Date;
}

/**
 * Onboarding (TR-369 "Boot!" event or OnBoardRequest): the one device registry learns the agent. The device is
 * found by its endpoint id, else by OUI and serial number (one registered beforehand, or the same box once
 * managed over CWMP, which now speaks USP), else created in the unassigned inbox of `tenantIdForNewDevices`.
 * Admission follows the CWMP policies: the device's own credential admits only that device; the shared
 * credential (or an MQTT broker's admission) admits new devices under "bootstrap" (allow-list) and only
 * registered ones under "closed".
 */
export async function registerUspAgent(db: Db, input: RegisterAgentInput): Promise<RegisterAgentResult> {
  const { contact, now } = input;
  const identity = cleanIdentity(input.identity ?? identityFromEndpointId(contact.endpointId));
  const existing = await findRegistered(db, contact.endpointId, identity);
  if (contact.principal.kind === "device") {
    if (!existing || existing.id !== contact.principal.deviceId) {
      return { kind: "rejected", reason: "the credentials belong to another device" };
    }
  } else {
    const decision = decideAdmission(
      input.admission,
      contact.principal,
      identity,
      existing ? { cwmpUsername: existing.cwmpUsername } : null,
    );
    if (!decision.admit) return { kind: "rejected", reason: decision.reason };
  }
  const booted = input.event.code === "Boot!";
  const data = {
    protocol: "usp" as const,
    uspEndpointId: contact.endpointId,
    uspMtp: contact.mtp,
    uspReplyTopic: contact.replyTopic ?? null,
    lastInformAt: now,
    ...(booted ? { lastBootAt: now } : {}),
  };
  const device = existing
    ? await db.device.update({
        where: { id: existing.id },
        data: { ...data, firstInformAt: existing.firstInformAt ?? now },
        select: SELECT,
      })
    : await createDevice(db, {
        data: {
          ...data,
          // A domain's enrollment credential puts its new agents in that domain's inbox, as for CWMP.
          tenantId:
            contact.principal.kind === "bootstrap" && contact.principal.tenantId
              ? contact.principal.tenantId
              : input.tenantIdForNewDevices,
          oui: identity.oui,
          productClass: identity.productClass,
          serialNumber: identity.serialNumber,
          dataModelRoot: "Device",
          firstInformAt: now,
        },
        select: SELECT,
      });
  if (!device) return { kind: "rejected", reason: "another device is registered with the same OUI and serial number" };
  await db.deviceEvent.create({
    data: { deviceId: device.id, code: input.event.code, commandKey: input.event.commandKey ?? "", at: now },
  });
  return {
    kind: "registered",
    device: {
      id: device.id,
      tenantId: device.tenantId,
      created: !existing,
      provisionedAt: device.provisionedAt,
      identity: { oui: device.oui, productClass: device.productClass, serialNumber: device.serialNumber },
    },
  };
}

const SELECT = {
  id: true,
  tenantId: true,
  oui: true,
  productClass: true,
  serialNumber: true,
  provisionedAt: true,
  firstInformAt: true,
  cwmpUsername: true,
} as const;

async function createDevice(db: Db, args: Parameters<Db["device"]["create"]>[0] & { select: typeof SELECT }) {
  try {
    return await db.device.create(args);
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return null;
    throw error;
  }
}

async function findRegistered(db: Db, endpointId: string, identity: DeviceIdentity) {
  const byEndpoint = await db.device.findUnique({ where: { uspEndpointId: endpointId }, select: SELECT });
  if (byEndpoint) return byEndpoint;
  if (!identity.oui) return null;
  return db.device.findFirst({
    where: {
      oui: { equals: identity.oui, mode: "insensitive" },
      serialNumber: identity.serialNumber,
      uspEndpointId: null,
      ...(identity.productClass ? { productClass: identity.productClass } : {}),
    },
    orderBy: { createdAt: "asc" },
    select: SELECT,
  });
}

function cleanIdentity(identity: DeviceIdentity): DeviceIdentity {
  return {
    oui: identity.oui.trim().slice(0, 64),
    productClass: identity.productClass.trim().slice(0, 64),
    serialNumber: identity.serialNumber.trim().slice(0, 64),
  };
}

/** A device Beacon manages over USP, by endpoint id. */
export async function findUspDevice(db: Db, endpointId: string) {
  return db.device.findUnique({
    where: { uspEndpointId: endpointId },
    select: {
      id: true,
      tenantId: true,
      protocol: true,
      uspMtp: true,
      uspReplyTopic: true,
      cwmpUsername: true,
      lastInformAt: true,
    },
  });
}

/** How often a busy agent's last contact is written: every Msg would cost a row version of Device. */
const CONTACT_RESOLUTION_MS = 30_000;

/** The agent reached Beacon again (a WebSocket connection, an MQTT Record): where to send, and when it was seen. */
export async function touchUspAgent(
  db: Db,
  device: { id: string; uspMtp: string | null; uspReplyTopic: string | null; lastInformAt: Date | null },
  contact: Omit<AgentContact, "principal">,
  now: Date,
) {
  const moved = device.uspMtp !== contact.mtp || device.uspReplyTopic !== (contact.replyTopic ?? null);
  const recent = device.lastInformAt && now.getTime() - device.lastInformAt.getTime() < CONTACT_RESOLUTION_MS;
  if (!moved && recent) return;
  await db.device.update({
    where: { id: device.id },
    data: { uspMtp: contact.mtp, uspReplyTopic: contact.replyTopic ?? null, lastInformAt: now },
  });
}

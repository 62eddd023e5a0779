import type { DomainEvent } from "@beacon/db";

/**
 * What a webhook can subscribe to. Each comes from a DomainEvent row: alarm events as the alarms module records
 * them, device.online/offline from the "device.offline" alarm, the others from collect-state-changes.ts (until
 * the code that finishes tasks, registers devices and settles checkouts records them itself).
 */
export const WEBHOOK_EVENT_TYPES = [
  "device.registered",
  "device.online",
  "device.offline",
  "task.finished",
  "fault",
  "alarm.raised",
  "alarm.cleared",
  "checkout.done",
  "checkout.incomplete",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "device.registered": "A device contacted Beacon for the first time.",
  "device.online": "A device that was offline informed again (its device.offline alarm cleared).",
  "device.offline": "A device stopped informing (a device.offline alarm was raised).",
  "task.finished": "A task reached its end: done, fault, expired or cancelled.",
  fault: "A task ended with a fault: the device refused it, or Beacon gave up.",
  "alarm.raised": "An alarm was raised on a device.",
  "alarm.cleared": "An alarm on a device cleared.",
  "checkout.done":
    "A room's checkout reached the device: new guest passphrase in place on every network a guest could use.",
  "checkout.incomplete":
    "A room's checkout ended without the new passphrase on every network (or failed): networksLeft names each one and why.",
};

/** A test message sent from the console; not a subscription. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

type Scalar = string | number | boolean | null;

/** One event as a webhook receives it: thin, ids and a few facts; the REST API has the rest. */
export interface WebhookEvent {
  type: WebhookEventType;
  data: Record<string, Scalar>;
}

type SourceEvent = Pick<DomainEvent, "type" | "tenantId" | "deviceId" | "subjectType" | "subjectId" | "payload">;

/** What each event's `data` carries besides domainId and deviceId. */
export const WEBHOOK_EVENT_FIELDS: Record<WebhookEventType, readonly string[]> = {
  "device.registered": ["serialNumber", "oui", "productClass"],
  "device.online": [],
  "device.offline": [],
  "task.finished": ["taskId", "kind", "state"],
  fault: ["taskId", "kind", "faultCode", "faultString"],
  "alarm.raised": ["alarmId", "alarmType", "severity"],
  "alarm.cleared": ["alarmId", "alarmType", "severity"],
  "checkout.done": ["checkoutId", "roomId", "roomNumber"],
  "checkout.incomplete": ["checkoutId", "roomId", "roomNumber", "state", "networksLeft"],
};

function scalar(value: unknown): Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;
}

function payloadOf(event: SourceEvent): Record<string, unknown> {
  const payload = event.payload;
  return payload && typeof payload === "object" && !Array.isArray(payload) ? payload : {};
}

/** The webhook events a DomainEvent stands for: none, one, or two (an offline alarm is also device.offline). */
export function webhookEventsOf(event: SourceEvent): WebhookEvent[] {
  const payload = payloadOf(event);
  const base = { domainId: event.tenantId, deviceId: event.deviceId };
  switch (event.type) {
    case "alarm.raised":
    case "alarm.cleared": {
      const alarm = {
        ...base,
        alarmId: event.subjectId,
        alarmType: scalar(payload.type),
        severity: scalar(payload.severity),
      };
      const events: WebhookEvent[] = [{ type: event.type, data: alarm }];
      if (payload.type === "device.offline") {
        events.push({ type: event.type === "alarm.raised" ? "device.offline" : "device.online", data: base });
      }
      return events;
    }
    case "device.online":
    case "device.offline":
      return [{ type: event.type, data: base }];
    case "device.registered":
    case "task.finished":
    case "fault":
    case "checkout.done":
    case "checkout.incomplete": {
      const data: Record<string, Scalar> = { ...base };
      for (const key of WEBHOOK_EVENT_FIELDS[event.type]) data[key] = scalar(payload[key]);
      return [{ type: event.type, data }];
    }
    default:
      return [];
  }
}

/** The JSON body of a delivery, in the shape Standard Webhooks recommends: type, timestamp, data. */
export function webhookBody(type: string, at: Date, data: Record<string, Scalar>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

import { useTranslations } from "next-intl";

// Audit actions as people read them; unknown actions fall back to their code.
const ACTIONS: Record<string, string> = {
  "domain.create": "Created a domain",
  "domain.rename": "Renamed a domain",
  "domain.move": "Moved a domain",
  "user.create": "Created a user",
  "user.invite": "Invited a user",
  "user.disable": "Disabled a user",
  "user.enable": "Enabled a user",
  "user.revoke-role": "Removed a role",
  "user.reset-password": "Reset a password",
  "device.move": "Moved a device",
  "device.reboot": "Queued a reboot",
  "device.factoryReset": "Queued a factory reset",
  "device.refresh": "Queued a parameter refresh",
  "device.setParameterValues": "Queued a parameter change",
  "task.create": "Queued a task",
  "task.cancel": "Cancelled a task",
};

export function describeAuditAction(action: string): string {
  return ACTIONS[action] ?? action;
}

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** An audit action's message key in the `audit` namespace (keys cannot hold dots: "device.reboot" -> "device_reboot"). */
export function auditActionKey(action: string): string {
  return `actions.${action.replaceAll(".", "_")}`;
}

/**
 * An audit action as people read it: which task ("Reboot", "Checkout of room 101") rather than "Queued a task" when
 * the record says; unknown actions fall back to their code.
 */
export function describeAuditActivity(
  t: Translate & { has: (key: string) => boolean },
  action: string,
  record?: { after: unknown },
): string {
  const after = record?.after && typeof record.after === "object" ? (record.after as Record<string, unknown>) : {};
  if (action === "room.checkout" && typeof after.roomNumber === "string") {
    return t("checkoutOfRoom", { room: after.roomNumber });
  }
  if (action === "task.create" && typeof after.kind === "string" && t.has(auditActionKey(`device.${after.kind}`))) {
    return t(auditActionKey(`device.${after.kind}`));
  }
  const key = auditActionKey(action);
  return t.has(key) ? t(key) : action;
}

/** describeAuditActivity in the console's language, for activity lists (audit log, dashboard). */
export function useAuditActivity(): (action: string, record?: { after: unknown }) => string {
  const t = useTranslations("audit");
  return (action, record) => describeAuditActivity(t, action, record);
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The one detail that says what an audit record was about: a person, a domain, a device or a task. */
export function auditDetail(record: { before: unknown; after: unknown }): string | null {
  for (const side of [record.after, record.before]) {
    if (!side || typeof side !== "object" || Array.isArray(side)) continue;
    const fields = side as Record<string, JsonValue>;
    for (const key of ["email", "name", "task", "serialNumber", "domain"]) {
      const value = fields[key];
      if (typeof value === "string" && value) return value;
    }
  }
  return null;
}

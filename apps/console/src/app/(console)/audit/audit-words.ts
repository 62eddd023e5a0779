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

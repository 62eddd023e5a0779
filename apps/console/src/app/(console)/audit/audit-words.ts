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

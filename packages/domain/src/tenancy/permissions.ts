import type { Role } from "@beacon/db";

/** Everything a console user can be allowed to do; a role is a fixed set of these. */
export const PERMISSIONS = [
  "device.read",
  "device.reboot",
  "device.refresh",
  "device.setParameter",
  "device.factoryReset",
  "device.move",
  "secret.reveal",
  "tenant.read",
  "tenant.manage",
  "user.read",
  "user.manage",
  "audit.read",
  "room.checkout",
  "alarm.acknowledge",
  "template.manage",
  "provisioning.manage",
  "firmware.manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Strongest first. */
export const ROLES = ["owner", "operator", "support", "viewer"] as const satisfies readonly Role[];

const VIEWER: readonly Permission[] = ["device.read", "tenant.read", "audit.read"];
const SUPPORT: readonly Permission[] = [
  ...VIEWER,
  "device.reboot",
  "device.refresh",
  "room.checkout",
  "alarm.acknowledge",
];
const OPERATOR: readonly Permission[] = [
  ...SUPPORT,
  "device.setParameter",
  "device.factoryReset",
  "device.move",
  "secret.reveal",
  "user.read",
  "template.manage",
  "provisioning.manage",
  "firmware.manage",
];
const OWNER: readonly Permission[] = [...OPERATOR, "tenant.manage", "user.manage"];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: OWNER,
  operator: OPERATOR,
  support: SUPPORT,
  viewer: VIEWER,
};

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  operator: "Operator",
  support: "Support",
  viewer: "Viewer",
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The stronger of two roles (owner > operator > support > viewer). */
export function strongerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

import type { RouterInputs, RouterOutputs } from "@/trpc/types.ts";

/** The roles and domain kinds as the API speaks them (views never import Prisma's enums). */
export type Role = RouterInputs["users"]["invite"]["role"];
export type TenantKind = RouterOutputs["domains"]["get"]["kind"];

// Presentation names for the console; the rules behind them live in @beacon/domain (not bundled for the browser).
export const ROLE_NAMES: Record<Role, string> = {
  owner: "Owner",
  operator: "Operator",
  support: "Support",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "everything, including domains and users",
  operator: "devices: all actions, parameters and moves",
  support: "devices: reboot and refresh",
  viewer: "read only",
};

export const DOMAIN_KIND_NAMES: Record<TenantKind, string> = {
  platform: "Platform",
  integrator: "Integrator",
  operator: "Operator",
  hotel: "Hotel",
  business: "Business",
  site: "Site",
};

export const NEW_DOMAIN_KINDS = [
  "integrator",
  "operator",
  "hotel",
  "business",
  "site",
] as const satisfies readonly TenantKind[];

import type { TenantKind } from "@beacon/db";
import { Invalid } from "../errors.ts";

/** Kinds a console user can create; the platform root exists once. */
export const DOMAIN_KINDS = ["integrator", "operator", "hotel", "business", "site"] as const satisfies readonly Exclude<
  TenantKind,
  "platform"
>[];
export type DomainKind = (typeof DOMAIN_KINDS)[number];

export const DOMAIN_KIND_LABELS: Record<TenantKind, string> = {
  platform: "Platform",
  integrator: "Integrator",
  operator: "Operator",
  hotel: "Hotel",
  business: "Business",
  site: "Site",
};

const MAX_NAME_LENGTH = 100;

/** A domain name as stored: trimmed, non-empty, one line, at most 100 characters. */
export function domainName(input: string): string {
  const name = input.trim().replace(/\s+/g, " ");
  if (!name) throw new Invalid("a domain needs a name");
  if (name.length > MAX_NAME_LENGTH) throw new Invalid(`a domain name has at most ${MAX_NAME_LENGTH} characters`);
  return name;
}

export function timeZoneName(input: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: input });
    return input;
  } catch {
    throw new Invalid(`${input} is not a time zone; use an IANA name such as Europe/Paris`);
  }
}

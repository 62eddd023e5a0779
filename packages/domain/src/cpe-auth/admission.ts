/**
 * Who may open a CWMP session (BEACON_CWMP_ADMISSION):
 * - open: any CPE, unauthenticated; an explicit choice for labs.
 * - bootstrap: a CPE either presents its own credentials, or, while it has none, the shared bootstrap
 *   credential (optionally only for allow-listed OUIs or serial numbers); Beacon then gives it its own.
 * - closed: only devices registered beforehand; the shared credential only gets them their own.
 */
export type AdmissionPolicy = "open" | "bootstrap" | "closed";

export interface AdmissionSettings {
  policy: AdmissionPolicy;
  /** OUIs or serial numbers allowed to bootstrap; empty allows any. */
  allowlist: readonly string[];
}

/** Who the HTTP layer found the CPE to be. */
export type Principal = { kind: "anonymous" } | { kind: "bootstrap" } | { kind: "device"; deviceId: string };

export type AdmissionDecision = { admit: true; provisionCredentials: boolean } | { admit: false; reason: string };

export interface DeviceOnRecord {
  id: string;
  created: boolean;
  cwmpUsername: string | null;
}

export function decideAdmission(
  settings: AdmissionSettings,
  principal: Principal,
  identity: { oui: string; serialNumber: string },
  device: DeviceOnRecord,
): AdmissionDecision {
  if (settings.policy === "open") return { admit: true, provisionCredentials: false };
  switch (principal.kind) {
    case "anonymous":
      return { admit: false, reason: "no credentials" };
    case "device":
      return principal.deviceId === device.id
        ? { admit: true, provisionCredentials: false }
        : { admit: false, reason: "the credentials belong to another device" };
    case "bootstrap":
      if (device.cwmpUsername) {
        return { admit: false, reason: "the device has its own credentials and may not use the bootstrap credential" };
      }
      if (settings.policy === "closed" && device.created) {
        return { admit: false, reason: "the device is not registered (BEACON_CWMP_ADMISSION=closed)" };
      }
      if (settings.policy === "bootstrap" && !isAllowListed(settings.allowlist, identity)) {
        return { admit: false, reason: "the device is not on BEACON_CWMP_ALLOWLIST" };
      }
      return { admit: true, provisionCredentials: true };
  }
}

export function isAllowListed(allowlist: readonly string[], identity: { oui: string; serialNumber: string }): boolean {
  if (allowlist.length === 0) return true;
  const oui = identity.oui.toUpperCase();
  return allowlist.some((entry) => entry.toUpperCase() === oui || entry === identity.serialNumber);
}

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

export interface DeviceIdentity {
  oui: string;
  productClass: string;
  serialNumber: string;
}

/** Who the HTTP layer found the CPE to be. */
export type Principal =
  | { kind: "anonymous" }
  /**
   * A bootstrap credential: the platform's shared one, or a domain's own enrollment credential (`tenantId`), which
   * puts new devices in that domain's inbox and vouches for them.
   */
  | { kind: "bootstrap"; tenantId?: string }
  /** A device's own credentials: they admit that device only. */
  | { kind: "device"; deviceId: string; identity: DeviceIdentity };

/** Which credential admitted a session, recorded on the device (Device.cwmpLastCredential). */
export type CredentialUsed = "own" | "previous" | "bootstrap" | "none";

export type AdmissionDecision =
  | {
      admit: true;
      provisionCredentials: boolean;
      credential: CredentialUsed;
      /**
       * False when only the platform's shared credential speaks for the device: it gets its own credentials, and
       * nothing secret (no template, no queued task) until it authenticates with them.
       */
      trusted: boolean;
    }
  /** `hold`: a known device asks to re-enroll after a factory reset; it waits for someone to re-admit it. */
  | { admit: false; reason: string; hold?: boolean };

/** The stored device a bootstrap-credential Inform claims to be. */
export interface BootstrapRecord {
  cwmpUsername: string | null;
  /** Beacon factory reset the device and this is its 0 BOOTSTRAP Inform: it is back on its factory credential. */
  resetByBeacon?: boolean;
  /** The Inform carries 0 BOOTSTRAP: the device was reset, or its ACS URL changed. */
  bootstrapEvent?: boolean;
  /** Someone re-admitted the device, or its domain re-admits devices returning from a factory reset. */
  readmit?: boolean;
  /** Until then the bootstrap credential still admits it (it may apply its own only after a restart). */
  previousCredentialUntil?: Date | null;
}

/**
 * Decides before anything is written. `onRecord` is the stored device with the Inform's identity (null when
 * there is none); only a bootstrap credential needs it.
 */
export function decideAdmission(
  settings: AdmissionSettings,
  principal: Principal,
  identity: DeviceIdentity,
  onRecord: BootstrapRecord | null,
  now: Date = new Date(),
): AdmissionDecision {
  if (settings.policy === "open") {
    return {
      admit: true,
      provisionCredentials: false,
      credential: principal.kind === "device" ? "own" : "none",
      trusted: true,
    };
  }
  switch (principal.kind) {
    case "anonymous":
      return { admit: false, reason: "no credentials" };
    case "device":
      return sameDevice(principal.identity, identity)
        ? { admit: true, provisionCredentials: false, credential: "own", trusted: true }
        : { admit: false, reason: "the credentials belong to another device" };
    case "bootstrap": {
      if (onRecord?.cwmpUsername) {
        if (onRecord.resetByBeacon || (onRecord.bootstrapEvent && onRecord.readmit)) {
          return { admit: true, provisionCredentials: true, credential: "bootstrap", trusted: true };
        }
        // Its own credentials were accepted but not yet used (applied after a restart): not locked out meanwhile,
        // and not given yet another pair, which it would apply at the same restart. Nothing secret meanwhile: the
        // shared credential does not prove which device this is.
        if (onRecord.previousCredentialUntil && onRecord.previousCredentialUntil > now) {
          return { admit: true, provisionCredentials: false, credential: "previous", trusted: false };
        }
        if (onRecord.bootstrapEvent) {
          return {
            admit: false,
            hold: true,
            reason: "the device came back from a factory reset and asks to re-enroll",
          };
        }
        return { admit: false, reason: "the device has its own credentials and may not use the bootstrap credential" };
      }
      if (settings.policy === "closed" && !onRecord) {
        return { admit: false, reason: "the device is not registered (BEACON_CWMP_ADMISSION=closed)" };
      }
      // A domain's own enrollment credential vouches for its devices; the shared one needs the allowlist.
      const domainCredential = principal.tenantId !== undefined;
      if (!domainCredential && settings.policy === "bootstrap" && !isAllowListed(settings.allowlist, identity)) {
        return { admit: false, reason: "the device is not on BEACON_CWMP_ALLOWLIST" };
      }
      return {
        admit: true,
        provisionCredentials: true,
        credential: "bootstrap",
        trusted: domainCredential || settings.allowlist.length > 0,
      };
    }
  }
}

function sameDevice(a: DeviceIdentity, b: DeviceIdentity): boolean {
  return (
    a.oui.toUpperCase() === b.oui.toUpperCase() &&
    a.productClass === b.productClass &&
    a.serialNumber === b.serialNumber
  );
}

export function isAllowListed(allowlist: readonly string[], identity: { oui: string; serialNumber: string }): boolean {
  if (allowlist.length === 0) return true;
  const oui = identity.oui.toUpperCase();
  return allowlist.some((entry) => entry.toUpperCase() === oui || entry === identity.serialNumber);
}

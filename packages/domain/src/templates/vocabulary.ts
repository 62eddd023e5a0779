/**
 * Beacon's own words for device settings. A template says `wifi.2g.ssid` once; the mapping files
 * (packages/domain/mappings) say which parameter that is on each data model and vendor.
 */

export type XsdType = "xsd:string" | "xsd:boolean" | "xsd:unsignedInt" | "xsd:int";

export type ValueKind =
  | { kind: "string"; maxLength?: number }
  | { kind: "ssid" }
  | { kind: "passphrase" }
  | { kind: "boolean" }
  | { kind: "unsignedInt"; min?: number; max?: number }
  | { kind: "vlan" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "host" };

export interface SettingDefinition {
  label: string;
  value: ValueKind;
  /** CWMP hides these on read (TR-069 A.3.2.2: passwords read back empty), so drift cannot see them. */
  secret?: boolean;
  /** Held by Beacon, never sent to a device as such (e.g. the checkout passphrase rule). */
  beaconOnly?: boolean;
  /** Restored at a hotel room's checkout: what a guest's stay may have changed. */
  restoredAtCheckout?: boolean;
}

/** Security modes in Beacon's words; each mapping file translates them for its data model. */
export const WIFI_SECURITY = ["open", "wpa2-psk", "wpa-wpa2-psk", "wpa3-sae", "wpa2-wpa3"] as const;

function band(name: "2.4 GHz" | "5 GHz" | "6 GHz", key: "2g" | "5g" | "6g"): Record<string, SettingDefinition> {
  return {
    [`wifi.${key}.ssid`]: { label: `${name} network name (SSID)`, value: { kind: "ssid" }, restoredAtCheckout: true },
    [`wifi.${key}.passphrase`]: {
      label: `${name} passphrase`,
      value: { kind: "passphrase" },
      secret: true,
      restoredAtCheckout: true,
    },
    [`wifi.${key}.security`]: {
      label: `${name} security`,
      value: { kind: "enum", values: WIFI_SECURITY },
      restoredAtCheckout: true,
    },
    [`wifi.${key}.enable`]: { label: `${name} network on`, value: { kind: "boolean" }, restoredAtCheckout: true },
    [`wifi.${key}.broadcast`]: {
      label: `${name} network name broadcast`,
      value: { kind: "boolean" },
      restoredAtCheckout: true,
    },
    [`wifi.${key}.radio`]: { label: `${name} radio on`, value: { kind: "boolean" }, restoredAtCheckout: true },
    [`wifi.${key}.channel`]: { label: `${name} channel`, value: { kind: "unsignedInt", min: 1, max: 196 } },
    [`wifi.${key}.autoChannel`]: { label: `${name} automatic channel`, value: { kind: "boolean" } },
  };
}

export const SETTINGS: Readonly<Record<string, SettingDefinition>> = {
  "service.loid": { label: "LOID (logical ONU id)", value: { kind: "string", maxLength: 24 } },
  "service.slid": { label: "SLID (subscriber line id)", value: { kind: "string", maxLength: 24 } },

  "wan.vlan": { label: "Internet VLAN", value: { kind: "vlan" } },
  "wan.pppoe.enable": { label: "PPPoE connection on", value: { kind: "boolean" } },
  "wan.pppoe.username": { label: "PPPoE user name", value: { kind: "string", maxLength: 64 } },
  "wan.pppoe.password": { label: "PPPoE password", value: { kind: "string", maxLength: 64 }, secret: true },
  "voip.vlan": { label: "VoIP VLAN", value: { kind: "vlan" } },
  "tv.vlan": { label: "TV (IPTV) VLAN", value: { kind: "vlan" } },

  "voip.line1.enable": { label: "Phone line 1 on", value: { kind: "boolean" } },
  "voip.line1.number": { label: "Phone line 1 number", value: { kind: "string", maxLength: 32 } },
  "voip.line1.username": { label: "Phone line 1 SIP user name", value: { kind: "string", maxLength: 64 } },
  "voip.line1.password": { label: "Phone line 1 SIP password", value: { kind: "string", maxLength: 64 }, secret: true },

  ...band("2.4 GHz", "2g"),
  ...band("5 GHz", "5g"),
  ...band("6 GHz", "6g"),
  "wifi.guest.ssid": { label: "Guest network name (SSID)", value: { kind: "ssid" }, restoredAtCheckout: true },
  "wifi.guest.passphrase": {
    label: "Guest network passphrase",
    value: { kind: "passphrase" },
    secret: true,
    restoredAtCheckout: true,
  },
  "wifi.guest.security": {
    label: "Guest network security",
    value: { kind: "enum", values: WIFI_SECURITY },
    restoredAtCheckout: true,
  },
  "wifi.guest.enable": { label: "Guest network on", value: { kind: "boolean" }, restoredAtCheckout: true },
  "wifi.guest.broadcast": {
    label: "Guest network name broadcast",
    value: { kind: "boolean" },
    restoredAtCheckout: true,
  },

  "qos.enable": { label: "QoS on", value: { kind: "boolean" } },

  "management.periodicInformEnable": { label: "Periodic inform on", value: { kind: "boolean" } },
  "management.periodicInformInterval": {
    label: "Periodic inform interval (seconds)",
    value: { kind: "unsignedInt", min: 30, max: 604800 },
  },
  "ntp.enable": { label: "Time synchronisation on", value: { kind: "boolean" } },
  "ntp.server1": { label: "NTP server 1", value: { kind: "host" } },
  "ntp.server2": { label: "NTP server 2", value: { kind: "host" } },

  "admin.password": { label: "Web administrator password", value: { kind: "string", maxLength: 64 }, secret: true },

  "checkout.passphrase": {
    label: "Passphrase rule at checkout, e.g. {{random.passphrase(10)}}",
    value: { kind: "passphrase" },
    beaconOnly: true,
  },
};

export const DEFAULT_CHECKOUT_PASSPHRASE_RULE = "{{random.passphrase(10)}}";

export function isSetting(key: string): boolean {
  return Object.hasOwn(SETTINGS, key);
}

export function settingDefinition(key: string): SettingDefinition | undefined {
  return Object.hasOwn(SETTINGS, key) ? SETTINGS[key] : undefined;
}

/** The CWMP type a setting's value travels as, unless the mapping or the device says otherwise. */
export function xsdTypeOf(value: ValueKind): XsdType {
  switch (value.kind) {
    case "boolean":
      return "xsd:boolean";
    case "unsignedInt":
    case "vlan":
      return "xsd:unsignedInt";
    default:
      return "xsd:string";
  }
}

const TRUE_WORDS = new Set(["true", "1", "yes", "on", "enabled"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off", "disabled"]);

export type Checked = { ok: true; value: string } | { ok: false; problem: string };

/** Checks a rendered value against its setting and puts it in the form CWMP expects ("true", "36"). */
export function checkSettingValue(key: string, raw: string): Checked {
  const definition = settingDefinition(key);
  if (!definition) return { ok: false, problem: `${key} is not a setting Beacon knows` };
  const value = raw.trim();
  const v = definition.value;
  switch (v.kind) {
    case "boolean": {
      const word = value.toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: "true" };
      if (FALSE_WORDS.has(word)) return { ok: true, value: "false" };
      return { ok: false, problem: `${key} must be true or false, not "${raw}"` };
    }
    case "unsignedInt":
      return integerIn(key, value, v.min ?? 0, v.max ?? 4294967295);
    case "vlan":
      return integerIn(key, value, 0, 4094);
    case "enum":
      return v.values.includes(value)
        ? { ok: true, value }
        : { ok: false, problem: `${key} must be one of ${v.values.join(", ")}, not "${raw}"` };
    case "ssid": {
      const bytes = Buffer.byteLength(raw, "utf8");
      if (bytes < 1 || bytes > 32) return { ok: false, problem: `${key} must be 1 to 32 bytes long, not ${bytes}` };
      return { ok: true, value: raw };
    }
    case "passphrase":
      // IEEE 802.11i: 8 to 63 printable ASCII characters, or 64 hexadecimal digits.
      if (/^[0-9a-fA-F]{64}$/.test(raw) || /^[\x20-\x7e]{8,63}$/.test(raw)) return { ok: true, value: raw };
      return { ok: false, problem: `${key} must be 8 to 63 printable ASCII characters` };
    case "host":
      return /^[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})$/.test(value)
        ? { ok: true, value }
        : { ok: false, problem: `${key} must be a host name or an IP address, not "${raw}"` };
    case "string":
      if (v.maxLength !== undefined && raw.length > v.maxLength) {
        return { ok: false, problem: `${key} must be at most ${v.maxLength} characters long` };
      }
      return { ok: true, value: raw };
  }
}

function integerIn(key: string, value: string, min: number, max: number): Checked {
  if (!/^-?\d+$/.test(value)) return { ok: false, problem: `${key} must be a whole number, not "${value}"` };
  const n = Number(value);
  if (n < min || n > max) return { ok: false, problem: `${key} must be between ${min} and ${max}, not ${n}` };
  return { ok: true, value: String(n) };
}

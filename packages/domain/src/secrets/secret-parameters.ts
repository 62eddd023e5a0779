/**
 * Which parameter values are secrets. The BBF data models mark them (TR-181 `secured="true"`, older TR-098/TR-104
 * `hidden="true"`): passwords, passphrases, pre-shared and WEP keys, RADIUS and shared secrets, private keys, PINs.
 * A vendor extension (`X_<vendor>_...`) follows no such mark, so its names are read more widely. This one
 * classification is used everywhere a value leaves the database: audit rows (masked when written), parameter
 * views, task summaries, exports, REST and webhooks.
 */

/** What a secret shows as, wherever it is not revealed. */
export const MASK = "••••";

// The last segment of a standard name, any case: each of these is marked secured or hidden in TR-181/TR-098/TR-104.
const STANDARD_SECRET =
  /(password|passphrase|pwd|presharedkey|wepkey|secret|privatekey|encryptionkey|^keyvalue|^pin|^psk)$/i;
// A vendor extension segment that speaks of a password, a passphrase, a key or a secret.
const VENDOR_SECRET = /(passw(or)?d|passphrase|pwd|psk|secret|privatekey|presharedkey|wepkey|key\d*$)/i;

/** True when `name` (a full parameter path, or its last segment) holds a secret. Objects (ending in ".") never do. */
export function isSecretParameter(name: string): boolean {
  if (name.endsWith(".")) return false;
  const segment = name.slice(name.lastIndexOf(".") + 1);
  if (!segment) return false;
  if (STANDARD_SECRET.test(segment)) return true;
  return segment.startsWith("X_") && VENDOR_SECRET.test(segment.replace(/^X_[A-Za-z0-9-]+?_/, ""));
}

/**
 * The credentials a CPE and Beacon authenticate each other with (TR-069 A.3.2.1 ManagementServer): Beacon keeps
 * only hashes of the first and its own copy of the second, never a value the CPE reports.
 */
export function isCpeCredentialParameter(name: string): boolean {
  return /(^|\.)ManagementServer\.(Password|ConnectionRequestPassword|STUNPassword)$/.test(name);
}

/** The value as it may leave the database: the mask for a secret (null stays null: nothing is known). */
export function shownValue(name: string, value: string | null): string | null {
  return value !== null && isSecretParameter(name) ? MASK : value;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * A JSON value (audit before/after, task arguments) with every secret parameter value masked: `{name, value}`
 * pairs whose name is secret, and object keys that name a secret (parameter paths, setting names, fields such as
 * a checkout's `passphrase`).
 */
export function maskSecrets<T>(value: T): T {
  return maskJson(value as Json) as T;
}

function maskJson(value: Json): Json {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value === null || typeof value !== "object") return value;
  const named = typeof value.name === "string" && isSecretParameter(value.name);
  const out: { [key: string]: Json } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (named && key === "value" && inner !== null) out[key] = MASK;
    // A parameter path, a setting name (`wifi.2g.passphrase`) or a plain field (`passphrase`, `password`).
    else if (isSecretParameter(key) && inner !== null && typeof inner !== "object") out[key] = MASK;
    else out[key] = maskJson(inner);
  }
  return out;
}

/**
 * How a device is recognised before Beacon has seen it. Serials and MACs are written many ways on labels,
 * spreadsheets and in CWMP; these put them in one form so that they compare equal.
 */

/**
 * Upper case, and a GPON serial in its vendor-letters form: ITU-T G.984.3 serials are a 4-letter vendor id and
 * 8 hex digits, which CPEs often report hex-encoded (Huawei's "48575443A94196A5" is the label's "HWTCA94196A5").
 */
export function normalizeSerial(serial: string): string {
  const s = serial.trim().toUpperCase();
  const hex = /^([0-9A-F]{8})([0-9A-F]{8})$/.exec(s);
  if (hex) {
    const vendor = Buffer.from(hex[1]!, "hex").toString("latin1");
    if (/^[A-Z]{4}$/.test(vendor)) return `${vendor}${hex[2]}`;
  }
  return s;
}

/** The spellings a device may report for a normalised serial, to look it up among Device rows. */
export function serialVariants(normalized: string): string[] {
  const variants = new Set([normalized]);
  const gpon = /^([A-Z]{4})([0-9A-F]{8})$/.exec(normalized);
  if (gpon) variants.add(`${Buffer.from(gpon[1]!, "latin1").toString("hex").toUpperCase()}${gpon[2]}`);
  return [...variants];
}

/** "AA:BB:CC:DD:EE:FF", or null when the text is not a MAC address in any usual spelling. */
export function normalizeMac(mac: string): string | null {
  const hex = mac
    .trim()
    .replace(/[:\-.\s]/g, "")
    .toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(hex)) return null;
  return hex.match(/../g)!.join(":");
}

export function normalizeLoid(loid: string): string {
  return loid.trim();
}

/** A parameter that carries the ONT's LOID, whatever the vendor prefix (X_HW_Loid, X_ZTE-COM_LOID, ...). */
export const LOID_PARAMETER = /\.(X_[A-Za-z0-9-]+_)?LOID$/i;

/**
 * A MAC address of the device itself (its WAN or LAN interfaces), not of a client in its host table or
 * associated-device list: a pre-registered access point shows up in its gateway's Hosts.Host.{i}.MACAddress.
 */
export const OWN_MAC_PARAMETER =
  /\.(WANIPConnection|WANPPPConnection|WANEthernetInterfaceConfig|LANEthernetInterfaceConfig|Ethernet\.Interface|Ethernet\.Link)\.\d+\.MACAddress$/;

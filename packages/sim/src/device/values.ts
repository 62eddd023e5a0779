import { parseDateTime, type XsdType } from "@beacon/cwmp";

/**
 * Checks a value the ACS wants to set against the parameter's type (TR-106 section 3.2) and returns the
 * text the device stores, or undefined when a real stack would answer 9007 (invalid parameter value).
 */
export function acceptValue(type: XsdType, value: string, current: string): string | undefined {
  switch (type) {
    case "xsd:string":
      return value;
    case "xsd:boolean": {
      const v = value.trim().toLowerCase();
      const on = v === "true" || v === "1";
      if (!on && v !== "false" && v !== "0") return undefined;
      // Keep the spelling the device already uses ("1"/"0" on some stacks, "true"/"false" on most).
      return current === "0" || current === "1" ? (on ? "1" : "0") : on ? "true" : "false";
    }
    case "xsd:int":
      return integerIn(value, -(2n ** 31n), 2n ** 31n - 1n);
    case "xsd:unsignedInt":
      return integerIn(value, 0n, 2n ** 32n - 1n);
    case "xsd:long":
      return integerIn(value, -(2n ** 63n), 2n ** 63n - 1n);
    case "xsd:unsignedLong":
      return integerIn(value, 0n, 2n ** 64n - 1n);
    case "xsd:dateTime":
      return parseDateTime(value) ? value.trim() : undefined;
    case "xsd:base64":
      return /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(value) ? value.trim() : undefined;
    case "xsd:hexBinary":
      return /^([0-9A-Fa-f]{2})*$/.test(value.trim()) ? value.trim() : undefined;
  }
}

function integerIn(value: string, min: bigint, max: bigint): string | undefined {
  const v = value.trim();
  if (!/^[-+]?[0-9]{1,20}$/.test(v)) return undefined;
  const n = BigInt(v);
  return n < min || n > max ? undefined : n.toString();
}

/** Whether the xsi:type the ACS sent names the parameter's type (used only in strict type checking). */
export function sameType(parameterType: XsdType, sentType: string | undefined): boolean {
  if (sentType === undefined) return true;
  return sentType.toLowerCase() === parameterType.toLowerCase();
}

/** A fresh instance's value for a parameter of this type (AddObject). */
export function defaultValue(type: XsdType): string {
  switch (type) {
    case "xsd:boolean":
      return "false";
    case "xsd:int":
    case "xsd:unsignedInt":
    case "xsd:long":
    case "xsd:unsignedLong":
      return "0";
    case "xsd:dateTime":
      return "0001-01-01T00:00:00Z";
    default:
      return "";
  }
}

/**
 * Secrets read back as empty strings (TR-098/TR-181: "When read, this parameter returns an empty string").
 */
export function isSecret(name: string): boolean {
  return /(Password|Passphrase|PreSharedKey|WEPKey|\.Key|Secret)$/.test(name);
}

import type { DeviceIdStruct, ParameterValueStruct } from "@beacon/cwmp";
import { loadModel } from "@beacon/sim";

/**
 * Who the benchmark's devices are: serial numbers, the credentials seeded for them, and the parameters their
 * Informs carry. The SQL seeding (seed.ts) and the driver (driver.ts) agree through this file only.
 */

/** The simulator's compact TR-098 ONU: its identity and its standard Inform parameters. */
const MODEL = loadModel("beacon-onu-tr098");

export const CWMP_NAMESPACE = "urn:dslforum-org:cwmp-1-0";
export const OUI = MODEL.identity.oui;
export const PRODUCT_CLASS = MODEL.identity.productClass;
export const MANUFACTURER = MODEL.identity.manufacturer;
export const DATA_MODEL_ROOT = MODEL.root;

/** The shared credential new CPEs bootstrap with (BEACON_CWMP_BOOTSTRAP_USERNAME/PASSWORD). */
export const BOOTSTRAP = { username: "bench-bootstrap", password: "bench-bootstrap-secret" };

const SERIAL_DIGITS = 7;

/** A group of devices the driver plays: serials prefix + zero-padded index. */
export interface Population {
  readonly prefix: string;
  readonly count: number;
  /** First index; default 0. */
  readonly first?: number;
}

export function serialNumberOf(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(SERIAL_DIGITS, "0")}`;
}

export function deviceIdOf(serialNumber: string): DeviceIdStruct {
  return { manufacturer: MANUFACTURER, oui: OUI, productClass: PRODUCT_CLASS, serialNumber };
}

/** The CWMP credentials a seeded (already registered) device holds. */
export function cwmpCredentialsOf(serialNumber: string): { username: string; password: string } {
  return { username: `cpe-${serialNumber}`, password: `pw-${serialNumber}` };
}

/** What Beacon presents in connection requests to a seeded device. */
export function connectionRequestCredentialsOf(serialNumber: string): { username: string; password: string } {
  return { username: `cr-${serialNumber}`, password: `crpw-${serialNumber}` };
}

/** The same formulas in SQL, over a text expression holding the serial number. */
export const sqlIdentity = {
  serialNumber: (prefix: string, index: string) => `'${prefix}' || lpad((${index})::text, ${SERIAL_DIGITS}, '0')`,
  cwmpUsername: (serial: string) => `'cpe-' || ${serial}`,
  cwmpPassword: (serial: string) => `'pw-' || ${serial}`,
  connReqUsername: (serial: string) => `'cr-' || ${serial}`,
  connReqPassword: (serial: string) => `'crpw-' || ${serial}`,
};

const CONNECTION_REQUEST_URL = `${MODEL.root}.ManagementServer.ConnectionRequestURL`;
const EXTERNAL_IP = MODEL.informParameters.find((n) => n.endsWith(".ExternalIPAddress"));

export function connectionRequestUrlOf(listenerBaseUrl: string, serialNumber: string): string {
  return `${listenerBaseUrl}/cr/${serialNumber}`;
}

/** 10.x.y.z from the device index, so that devices differ the way real ones do. */
export function externalIpOf(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

/** The model's standard Inform parameters (TR-098 forced-inform list), with this device's own values. */
export function informParameters(index: number, connectionRequestUrl: string): ParameterValueStruct[] {
  return MODEL.informParameters.map((name) => {
    const node = MODEL.node(name)!;
    let value = node.value;
    if (name === CONNECTION_REQUEST_URL) value = connectionRequestUrl;
    else if (name === EXTERNAL_IP) value = externalIpOf(index);
    return { name, value, type: node.type };
  });
}

/**
 * The same parameters as columns for seeding: constant values as they are, the two per-device ones as null
 * (seed.ts computes them in SQL).
 */
export function informParameterTemplate(): { names: string[]; types: string[]; values: (string | null)[] } {
  const names = [...MODEL.informParameters];
  return {
    names,
    types: names.map((n) => MODEL.node(n)!.type),
    values: names.map((n) => (n === CONNECTION_REQUEST_URL || n === EXTERNAL_IP ? null : MODEL.node(n)!.value)),
  };
}

export const parameterNames = { connectionRequestUrl: CONNECTION_REQUEST_URL, externalIp: EXTERNAL_IP ?? "" };

export const deviceInfo = {
  softwareVersion: MODEL.node(`${MODEL.root}.DeviceInfo.SoftwareVersion`)?.value ?? "",
  hardwareVersion: MODEL.node(`${MODEL.root}.DeviceInfo.HardwareVersion`)?.value ?? "",
  modelName: MODEL.node(`${MODEL.root}.DeviceInfo.ModelName`)?.value ?? PRODUCT_CLASS,
};

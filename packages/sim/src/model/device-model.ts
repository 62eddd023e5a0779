import { type XsdType, xsdTypeOf } from "@beacon/cwmp";

/**
 * A device model: the parameter tree of one kind of device (names, types, writability, default values,
 * default attributes). It is immutable and shared by every simulated device of that kind; a device keeps
 * only its own overrides (see ParameterStore).
 */

export type DataModelRoot = "InternetGatewayDevice" | "Device";

export interface ParameterNode {
  /** Full name; an object's name ends with "." (TR-069 A.3.2.3). */
  readonly name: string;
  readonly object: boolean;
  /** For an object: whether AddObject (a table) or DeleteObject (an instance) may be used on it. */
  readonly writable: boolean;
  /** "xsd:string" for objects. */
  readonly type: XsdType;
  readonly value: string;
  /** 0 off, 1 passive, 2 active (TR-069 A.3.2.4). */
  readonly notification: number;
  readonly accessList: readonly string[];
}

export interface DeviceIdentity {
  readonly manufacturer: string;
  /** Six upper-case hex digits. */
  readonly oui: string;
  readonly productClass: string;
  readonly serialNumber: string;
}

/** The tree part of a model: enough to walk it. */
export type ParameterTree = Pick<DeviceModel, "root" | "node" | "children">;

export interface DeviceModel {
  /** Registry name, e.g. "beacon-onu-tr098" or "huawei-eg8145v5". */
  readonly name: string;
  readonly description: string;
  readonly root: DataModelRoot;
  /** What the source device reported; a simulated device overrides the serial number at least. */
  readonly identity: DeviceIdentity;
  /** Parameters every Inform carries, in order (TR-069 Table 7 forced parameters, by data model). */
  readonly informParameters: readonly string[];
  /** Number of nodes (objects and parameters). */
  readonly size: number;
  node(name: string): ParameterNode | undefined;
  /** Child names of an object ("" for the top, which holds only the root object), in device order. */
  children(objectName: string): readonly string[];
}

/** One row of a model source; an object row may name the object with or without its trailing ".". */
export interface ParameterRow {
  readonly name: string;
  readonly object: boolean;
  readonly writable: boolean;
  readonly value?: string;
  /** An XML Schema or data-model type ("xsd:unsignedInt", "unsignedInt", "boolean"); default string. */
  readonly type?: string;
  readonly notification?: number;
  readonly accessList?: readonly string[];
}

export interface DeviceModelSource {
  readonly name: string;
  readonly description: string;
  readonly identity: DeviceIdentity;
  readonly rows: Iterable<ParameterRow>;
  /** Defaults to the standard list for the root (see standardInformParameters). */
  readonly informParameters?: readonly string[];
}

const NO_ACCESS: readonly string[] = [];

export function buildDeviceModel(source: DeviceModelSource): DeviceModel {
  const nodes = new Map<string, ParameterNode>();
  const children = new Map<string, string[]>([["", []]]);

  const ensureObject = (name: string, writable: boolean, notification = 0, accessList = NO_ACCESS): void => {
    const existing = nodes.get(name);
    if (existing) {
      if (writable && !existing.writable) nodes.set(name, { ...existing, writable });
      return;
    }
    nodes.set(name, { name, object: true, writable, type: "xsd:string", value: "", notification, accessList });
    children.set(name, []);
    const parent = parentOf(name);
    if (parent !== "") ensureObject(parent, false);
    children.get(parent)?.push(name);
  };

  for (const row of source.rows) {
    const bare = row.name.endsWith(".") ? row.name.slice(0, -1) : row.name;
    if (bare === "") continue;
    if (row.object) {
      ensureObject(`${bare}.`, row.writable, row.notification, row.accessList);
      continue;
    }
    if (nodes.has(bare)) continue;
    const parent = parentOf(bare);
    if (parent === "") continue;
    ensureObject(parent, false);
    nodes.set(bare, {
      name: bare,
      object: false,
      writable: row.writable,
      type: xsdTypeOf(row.type),
      value: row.value ?? "",
      notification: row.notification ?? 0,
      accessList: row.accessList && row.accessList.length > 0 ? row.accessList : NO_ACCESS,
    });
    children.get(parent)?.push(bare);
  }
  for (const list of children.values()) list.sort(compareNames);

  const top = children.get("") ?? [];
  const rootName = top[0]?.slice(0, -1);
  if (top.length !== 1 || (rootName !== "InternetGatewayDevice" && rootName !== "Device")) {
    throw new Error(
      `model ${source.name}: expected one root, InternetGatewayDevice or Device, found ${top.join(", ") || "none"}`,
    );
  }
  const tree: ParameterTree = {
    root: rootName,
    node: (name: string) => nodes.get(name),
    children: (objectName: string) => children.get(objectName) ?? NO_ACCESS,
  };
  return {
    ...tree,
    name: source.name,
    description: source.description,
    identity: source.identity,
    size: nodes.size,
    informParameters: (source.informParameters ?? standardInformParameters(tree)).filter((n) => nodes.has(n)),
  };
}

/** "A.B.C" -> "A.B."; "A.B." -> "A."; "A." -> "". */
export function parentOf(name: string): string {
  const end = name.endsWith(".") ? name.length - 1 : name.length;
  const dot = name.lastIndexOf(".", end - 1);
  return dot === -1 ? "" : name.slice(0, dot + 1);
}

/** The last segment: "A.B.C" -> "C", "A.B.3." -> "3". */
export function leafOf(name: string): string {
  const end = name.endsWith(".") ? name.length - 1 : name.length;
  return name.slice(name.lastIndexOf(".", end - 1) + 1, end);
}

export function isInstanceNumber(segment: string): boolean {
  return segment.length > 0 && segment.length < 10 && /^[0-9]+$/.test(segment);
}

/** Instance numbers in numeric order (2 before 10); names otherwise as the source listed them. */
function compareNames(a: string, b: string): number {
  const x = leafOf(a);
  const y = leafOf(b);
  if (isInstanceNumber(x) && isInstanceNumber(y)) return Number(x) - Number(y);
  return 0;
}

/**
 * The parameters a CPE puts in every Inform's ParameterList: TR-098 (InternetGatewayDevice:1) and TR-181
 * (Device:2) forced inform parameters, plus the WAN address the device reaches the ACS with.
 */
export function standardInformParameters(model: ParameterTree): string[] {
  const r = model.root;
  const names =
    r === "InternetGatewayDevice"
      ? [
          `${r}.DeviceSummary`,
          `${r}.DeviceInfo.SpecVersion`,
          `${r}.DeviceInfo.HardwareVersion`,
          `${r}.DeviceInfo.SoftwareVersion`,
          `${r}.DeviceInfo.ProvisioningCode`,
          `${r}.ManagementServer.ConnectionRequestURL`,
          `${r}.ManagementServer.ParameterKey`,
        ]
      : [
          `${r}.RootDataModelVersion`,
          `${r}.DeviceSummary`,
          `${r}.DeviceInfo.HardwareVersion`,
          `${r}.DeviceInfo.SoftwareVersion`,
          `${r}.DeviceInfo.ProvisioningCode`,
          `${r}.ManagementServer.ConnectionRequestURL`,
          `${r}.ManagementServer.ParameterKey`,
        ];
  names.push(`${r}.ManagementServer.UDPConnectionRequestAddress`);
  const wan = externalAddressParameter(model);
  if (wan) names.push(wan);
  return names.filter((n) => model.node(n) !== undefined);
}

const PRIVATE_IPV4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|169\.254\.|0\.0\.0\.0$)/;

/**
 * TR-098: the first WAN{PPP,IP}Connection ExternalIPAddress that holds an address, else the first one.
 * TR-181: the first IP.Interface.*.IPv4Address.*.IPAddress outside the private ranges, else the first set
 * one on an interface that is not a LAN bridge (Name "br0", "br-lan", "lan..."), else none.
 */
function externalAddressParameter(model: ParameterTree): string | undefined {
  const igd = model.root === "InternetGatewayDevice";
  const pattern = igd
    ? /^InternetGatewayDevice\.WANDevice\.\d+\.WANConnectionDevice\.\d+\.WAN(PPP|IP)Connection\.\d+\.ExternalIPAddress$/
    : /^Device\.IP\.Interface\.\d+\.IPv4Address\.\d+\.IPAddress$/;
  const found: string[] = [];
  const visit = (objectName: string): void => {
    for (const name of model.children(objectName)) {
      if (name.endsWith(".")) visit(name);
      else if (pattern.test(name)) found.push(name);
    }
  };
  const section = igd ? "InternetGatewayDevice.WANDevice." : "Device.IP.Interface.";
  if (model.node(section)) visit(section);
  const defaultOf = (name: string) => model.node(name)?.value ?? "";
  const isSet = (name: string) => defaultOf(name) !== "" && defaultOf(name) !== "0.0.0.0";
  if (igd) return found.find(isSet) ?? found[0];
  const onLanBridge = (name: string) => {
    const interfaceName = defaultOf(`${name.slice(0, name.indexOf(".IPv4Address."))}.Name`).toLowerCase();
    return interfaceName.startsWith("br") || interfaceName.startsWith("lan");
  };
  return (
    found.find((n) => isSet(n) && !PRIVATE_IPV4.test(defaultOf(n))) ?? found.find((n) => isSet(n) && !onLanBridge(n))
  );
}

import { basename } from "node:path";
import { z } from "zod";
import { domainDataDir, parseJsonFile, readJsonFiles } from "../data-files.ts";
import { isPlaceholderPath, parsePlaceholder } from "../networks/network-paths.ts";
import { checkSettingValue, settingDefinition } from "./vocabulary.ts";

/**
 * Where each setting lives on each kind of device, read from packages/domain/mappings/*.json: one base file per
 * data model root and override files per vendor or model. Adding a vendor is adding a file (see the README
 * there); nothing here names a vendor.
 */

export const MAPPINGS_DIR = domainDataDir("mappings");

export const DATA_MODEL_ROOTS = ["InternetGatewayDevice", "Device"] as const;
export type DataModelRoot = (typeof DATA_MODEL_ROOTS)[number];

const XSD_TYPES = [
  "xsd:string",
  "xsd:boolean",
  "xsd:unsignedInt",
  "xsd:int",
  "xsd:unsignedLong",
  "xsd:long",
  "xsd:dateTime",
  "xsd:base64",
  "xsd:hexBinary",
] as const;

const ParameterEntry = z.strictObject({
  path: z.string().min(1),
  /** Overrides the setting's own type when this device wants another, e.g. xsd:int for a VLAN mark. */
  type: z.enum(XSD_TYPES).optional(),
  /** Translates Beacon's value to the device's: {"wpa2-psk": "11i"}. A value missing here skips this parameter. */
  values: z.record(z.string(), z.string()).optional(),
});

const SettingEntry = z.union([
  z.string().min(1),
  ParameterEntry,
  z.array(ParameterEntry).min(1),
  z.strictObject({ unsupported: z.string().min(1) }),
]);

const MatchList = z.array(z.string().min(1)).min(1).optional();

const MappingFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "ids are lower-case words joined by dashes"),
  description: z.string().default(""),
  /**
   * All given groups must match: the root always; the vendor (manufacturer contains one of, or OUI is one of)
   * when given; the model (product class or model name is one of, ignoring case) when given.
   */
  match: z.strictObject({
    dataModelRoot: z.enum(DATA_MODEL_ROOTS),
    manufacturer: MatchList,
    oui: MatchList,
    productClass: MatchList,
    modelName: MatchList,
  }),
  settings: z.record(z.string(), SettingEntry),
});

export interface ParameterMapping {
  path: string;
  type?: (typeof XSD_TYPES)[number];
  values?: Record<string, string>;
}

export type SettingMapping =
  | { kind: "parameters"; parameters: ParameterMapping[]; from: string }
  | { kind: "unsupported"; reason: string; from: string };

export interface MappingFile {
  id: string;
  description: string;
  match: z.output<typeof MappingFileSchema>["match"];
  settings: Record<string, SettingMapping>;
  /** 0 base file, 1 vendor, 2 model, 3 vendor and model: more specific files are applied later and win. */
  specificity: number;
}

export interface MappingSet {
  files: readonly MappingFile[];
}

export class MappingFileInvalid extends Error {
  override name = "MappingFileInvalid";
}

/** Reads and checks every mapping file of `dir`; a broken file stops with its name and the problem. */
export function loadMappings(dir: string = MAPPINGS_DIR): MappingSet {
  const files = readJsonFiles(dir).map(({ name, text }) => parseMappingFile(name, text));
  const ids = new Set<string>();
  for (const file of files) {
    if (ids.has(file.id)) throw new MappingFileInvalid(`two mapping files use the id ${file.id}`);
    ids.add(file.id);
  }
  return { files };
}

export function parseMappingFile(fileName: string, text: string): MappingFile {
  const fail = (problem: string): never => {
    throw new MappingFileInvalid(`mapping file ${fileName}: ${problem}`);
  };
  const file = parseJsonFile(MappingFileSchema, text, fail);
  if (basename(fileName, ".json") !== file.id) fail(`its id ${file.id} must match the file name`);
  const root = file.match.dataModelRoot;
  const settings: Record<string, SettingMapping> = {};
  for (const [key, entry] of Object.entries(file.settings)) {
    const definition = settingDefinition(key);
    if (!definition)
      fail(`${key} is not a setting of Beacon's vocabulary (packages/domain/src/templates/vocabulary.ts)`);
    if (definition?.beaconOnly) fail(`${key} is kept by Beacon and never mapped to a device`);
    if (typeof entry === "object" && "unsupported" in entry) {
      settings[key] = { kind: "unsupported", reason: entry.unsupported, from: file.id };
      continue;
    }
    const list = typeof entry === "string" ? [{ path: entry }] : Array.isArray(entry) ? entry : [entry];
    for (const p of list) {
      const rest = isPlaceholderPath(p.path) ? parsePlaceholder(p.path)?.rest : p.path;
      if (rest === undefined) {
        fail(
          `${key}: ${p.path} starts with a placeholder Beacon does not know ({wifi.2g}, {wifi.guest.accessPoint}, {wan.ppp}, ...)`,
        );
      } else if (!isPlaceholderPath(p.path) && !p.path.startsWith(`${root}.`)) {
        fail(`${key}: ${p.path} is not below ${root}.`);
      }
      if (rest === undefined || rest.endsWith(".") || /[{}*]/.test(rest) || rest.includes("..")) {
        fail(`${key}: ${p.path} must name one parameter with its instance numbers`);
      }
      for (const beaconValue of Object.keys(p.values ?? {})) {
        const checked = checkSettingValue(key, beaconValue);
        if (!checked.ok || checked.value !== beaconValue) fail(`${key}: "${beaconValue}" is not a value of ${key}`);
      }
    }
    settings[key] = { kind: "parameters", parameters: list, from: file.id };
  }
  const { manufacturer, oui, productClass, modelName } = file.match;
  const specificity = (manufacturer || oui ? 1 : 0) + (productClass || modelName ? 2 : 0);
  return { id: file.id, description: file.description, match: file.match, settings, specificity };
}

/** What a device tells us about itself, from its Device row. */
export interface DeviceModelIdentity {
  dataModelRoot: string | null;
  manufacturer: string;
  oui: string;
  productClass: string;
  modelName: string | null;
}

export interface ResolvedMapping {
  root: DataModelRoot;
  /** Ids of the files that apply, least specific first. */
  fileIds: string[];
  settings: ReadonlyMap<string, SettingMapping>;
}

const same = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "accent" }) === 0;

export function mappingMatches(file: MappingFile, device: DeviceModelIdentity & { dataModelRoot: string }): boolean {
  const m = file.match;
  if (m.dataModelRoot !== device.dataModelRoot) return false;
  if (m.manufacturer || m.oui) {
    const byName = m.manufacturer?.some((name) => device.manufacturer.toLowerCase().includes(name.toLowerCase()));
    const byOui = m.oui?.some((oui) => same(oui, device.oui));
    if (!byName && !byOui) return false;
  }
  if (m.productClass || m.modelName) {
    const byClass = m.productClass?.some((pc) => same(pc, device.productClass));
    const byModel = m.modelName?.some((name) => device.modelName !== null && same(name, device.modelName));
    if (!byClass && !byModel) return false;
  }
  return true;
}

/** The mapping for one device: its root's base file, then each matching vendor and model file over it. */
export function resolveMapping(set: MappingSet, device: DeviceModelIdentity): ResolvedMapping | null {
  const root = device.dataModelRoot;
  if (root !== "InternetGatewayDevice" && root !== "Device") return null;
  const applicable = set.files
    .filter((f) => mappingMatches(f, { ...device, dataModelRoot: root }))
    .sort((a, b) => a.specificity - b.specificity || a.id.localeCompare(b.id));
  const settings = new Map<string, SettingMapping>();
  for (const file of applicable) for (const [key, mapping] of Object.entries(file.settings)) settings.set(key, mapping);
  return { root, fileIds: applicable.map((f) => f.id), settings };
}

/** "InternetGatewayDevice" or "Device", from the Device row or else from the names of its known parameters. */
export function dataModelRootFrom(
  dataModelRoot: string | null,
  parameterNames: Iterable<string>,
): DataModelRoot | null {
  if (dataModelRoot === "InternetGatewayDevice" || dataModelRoot === "Device") return dataModelRoot;
  for (const name of parameterNames) {
    const first = name.slice(0, name.indexOf("."));
    if (first === "InternetGatewayDevice" || first === "Device") return first;
  }
  return null;
}

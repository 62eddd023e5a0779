import { basename } from "node:path";
import { z } from "zod";
import { domainDataDir, parseJsonFile, readJsonFiles } from "../data-files.ts";
import { isMetricName, METRICS, type MetricName } from "./metrics.ts";
import { normaliseReading, UNIT_NAMES, UNITS, type Unit } from "./units.ts";

/**
 * Where each metric lives on each kind of device and in which unit, read from
 * packages/domain/monitoring-mappings/*.json (see the README there). Nothing here names a vendor.
 */

export const MONITORING_MAPPINGS_DIR = domainDataDir("monitoring-mappings");

const ROOTS = ["InternetGatewayDevice", "Device"] as const;
type Root = (typeof ROOTS)[number];

const AGGREGATES = ["sum", "max", "min", "avg"] as const;
type Aggregate = (typeof AGGREGATES)[number];

const MetricEntry = z.strictObject({
  path: z.string().min(1),
  unit: z.enum(UNIT_NAMES as [Unit, ...Unit[]]),
  aggregate: z.enum(AGGREGATES).optional(),
  noSignalAtOrBelow: z.number().optional(),
});

const MatchList = z.array(z.string().min(1)).min(1).optional();

const MonitoringMappingFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "ids are lower-case words joined by dashes"),
  description: z.string().default(""),
  match: z.strictObject({
    dataModelRoot: z.enum(ROOTS),
    manufacturer: MatchList,
    oui: MatchList,
    productClass: MatchList,
    modelName: MatchList,
  }),
  metrics: z.record(z.string(), z.union([MetricEntry, z.array(MetricEntry).min(1)])),
  link: z.array(z.strictObject({ path: z.string().min(1), up: z.array(z.string()).min(1) })).optional(),
});

export interface MetricSource {
  metric: MetricName;
  path: string;
  unit: Unit;
  aggregate?: Aggregate;
  noSignalAtOrBelow?: number;
  /** Matches the instance names of a path with "*"; null for a plain path. */
  pattern: RegExp | null;
  /** The mapping file it comes from. */
  from: string;
}

export interface LinkSource {
  path: string;
  up: readonly string[];
  from: string;
}

export interface MonitoringMappingFile {
  id: string;
  description: string;
  match: z.output<typeof MonitoringMappingFileSchema>["match"];
  sources: MetricSource[];
  link: LinkSource[];
  /** 0 root, 1 vendor, 2 model, 3 vendor and model. */
  specificity: number;
}

export interface MonitoringMappingSet {
  files: readonly MonitoringMappingFile[];
}

export class MonitoringMappingInvalid extends Error {
  override name = "MonitoringMappingInvalid";
}

/** Reads and checks every mapping file; load once per process and pass the set around. */
export function loadMonitoringMappings(dir: string = MONITORING_MAPPINGS_DIR): MonitoringMappingSet {
  const files = readJsonFiles(dir).map(({ name, text }) => parseMonitoringMapping(name, text));
  return { files };
}

function patternOf(path: string): RegExp | null {
  if (!path.includes("*")) return null;
  const escaped = path.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join("\\d+")}$`);
}

export function parseMonitoringMapping(fileName: string, text: string): MonitoringMappingFile {
  const fail = (problem: string): never => {
    throw new MonitoringMappingInvalid(`monitoring mapping ${fileName}: ${problem}`);
  };
  const file = parseJsonFile(MonitoringMappingFileSchema, text, fail);
  if (basename(fileName, ".json") !== file.id) fail(`its id ${file.id} must match the file name`);
  const root = file.match.dataModelRoot;
  const sources: MetricSource[] = [];
  for (const [metric, entry] of Object.entries(file.metrics)) {
    if (!isMetricName(metric)) return fail(`${metric} is not a metric of src/monitoring/metrics.ts`);
    for (const e of Array.isArray(entry) ? entry : [entry]) {
      if (!e.path.startsWith(`${root}.`)) fail(`${metric}: ${e.path} is not below ${root}.`);
      if (e.path.endsWith(".")) fail(`${metric}: ${e.path} names an object, not a parameter`);
      if (UNITS[e.unit].quantity !== METRICS[metric].quantity) {
        fail(`${metric}: ${e.unit} is a unit of ${UNITS[e.unit].quantity}, not of ${METRICS[metric].quantity}`);
      }
      const pattern = patternOf(e.path);
      if (pattern && !e.aggregate) fail(`${metric}: ${e.path} has "*" and needs an aggregate (sum, max, min, avg)`);
      sources.push({ metric, ...e, pattern, from: file.id });
    }
  }
  const link = (file.link ?? []).map((l) => ({ ...l, from: file.id }));
  for (const l of link) if (!l.path.startsWith(`${root}.`)) fail(`link: ${l.path} is not below ${root}.`);
  const { manufacturer, oui, productClass, modelName } = file.match;
  const specificity = (manufacturer || oui ? 1 : 0) + (productClass || modelName ? 2 : 0);
  return { id: file.id, description: file.description, match: file.match, sources, link, specificity };
}

export interface MonitoredDevice {
  dataModelRoot: string | null;
  manufacturer: string;
  oui: string;
  productClass: string;
  modelName: string | null;
}

const same = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "accent" }) === 0;

function matches(file: MonitoringMappingFile, device: MonitoredDevice): boolean {
  const m = file.match;
  if (m.dataModelRoot !== device.dataModelRoot) return false;
  if (m.manufacturer || m.oui) {
    const byName = m.manufacturer?.some((n) => device.manufacturer.toLowerCase().includes(n.toLowerCase()));
    const byOui = m.oui?.some((o) => same(o, device.oui));
    if (!byName && !byOui) return false;
  }
  if (m.productClass || m.modelName) {
    const byClass = m.productClass?.some((pc) => same(pc, device.productClass));
    const byModel = m.modelName?.some((n) => device.modelName !== null && same(n, device.modelName));
    if (!byClass && !byModel) return false;
  }
  return true;
}

export interface ResolvedMonitoring {
  root: Root;
  fileIds: string[];
  /** Per metric, the places to look, most specific file first. */
  metrics: ReadonlyMap<MetricName, readonly MetricSource[]>;
  link: readonly LinkSource[];
}

/** The mapping for one device: every matching file, the more specific ones first for each metric. */
export function resolveMonitoring(set: MonitoringMappingSet, device: MonitoredDevice): ResolvedMonitoring | null {
  const root = device.dataModelRoot;
  if (root !== "InternetGatewayDevice" && root !== "Device") return null;
  const applicable = set.files
    .filter((f) => matches(f, device))
    .sort((a, b) => b.specificity - a.specificity || a.id.localeCompare(b.id));
  const metrics = new Map<MetricName, MetricSource[]>();
  for (const file of applicable) {
    for (const source of file.sources) {
      const list = metrics.get(source.metric) ?? [];
      list.push(source);
      metrics.set(source.metric, list);
    }
  }
  return { root, fileIds: applicable.map((f) => f.id), metrics, link: applicable.flatMap((f) => f.link) };
}

export function sourceCovers(source: MetricSource, name: string): boolean {
  return source.pattern ? source.pattern.test(name) : source.path === name;
}

export interface MetricReading {
  metric: MetricName;
  /** In the metric's unit; null for no usable reading (an optical level: no signal). */
  value: number | null;
  source: MetricSource;
}

/**
 * The metrics a set of parameter values carries. For each metric the most specific source with values wins;
 * a "*" source aggregates every instance it finds among the values.
 */
export function metricReadings(
  resolved: ResolvedMonitoring,
  values: ReadonlyArray<{ name: string; value: string }>,
): MetricReading[] {
  const byName = new Map(values.map((v) => [v.name, v.value]));
  const readings: MetricReading[] = [];
  for (const [metric, sources] of resolved.metrics) {
    for (const source of sources) {
      if (!source.pattern) {
        if (!byName.has(source.path)) continue;
        readings.push({ metric, value: normaliseReading(source, byName.get(source.path)), source });
        break;
      }
      const found = values.filter((v) => source.pattern!.test(v.name)).map((v) => normaliseReading(source, v.value));
      if (!found.length) continue;
      const numbers = found.filter((n): n is number => n !== null);
      readings.push({ metric, value: aggregate(source.aggregate ?? "sum", numbers), source });
      break;
    }
  }
  return readings;
}

function aggregate(how: Aggregate, numbers: number[]): number | null {
  if (!numbers.length) return null;
  switch (how) {
    case "sum":
      return numbers.reduce((a, b) => a + b, 0);
    case "max":
      return Math.max(...numbers);
    case "min":
      return Math.min(...numbers);
    case "avg":
      return numbers.reduce((a, b) => a + b, 0) / numbers.length;
  }
}

/** The path prefix before the first "*", to read every instance of a "*" source from DeviceParameter. */
export function sourcePrefix(source: MetricSource): string {
  const star = source.path.indexOf("*");
  return star === -1 ? source.path : source.path.slice(0, star);
}

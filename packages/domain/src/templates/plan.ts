import type { Db } from "@beacon/db";
import type { NetworkMap } from "../networks/network-map.ts";
import { resolveMappingPath } from "../networks/network-paths.ts";
import { isSecretParameter } from "../secrets/secret-parameters.ts";
import type { DataModelRoot, ResolvedMapping } from "./mappings.ts";
import { renderValue, type VariableContext } from "./render.ts";
import { checkSettingValue, SETTINGS, settingDefinition, xsdTypeOf } from "./vocabulary.ts";

/**
 * From a template's settings to the parameter values one device takes, and the reasons for the settings it
 * cannot take. Pure: the caller loads what the device is known to have (knownParametersFor).
 */

export interface RawParameter {
  path: string;
  value: string;
  type?: string;
}

export interface PlannedValue {
  /** The vocabulary setting, or null for a raw parameter. */
  setting: string | null;
  path: string;
  value: string;
  type: string;
  secret: boolean;
  /** A random function made the value: another plan would give another one. */
  generated: boolean;
}

export interface SkippedSetting {
  /** The vocabulary setting, or null for a raw parameter. */
  setting: string | null;
  path?: string;
  reason: string;
  /** The setting is mapped by meaning and the device's networks have not been read yet. */
  awaitsNetworks?: boolean;
}

export interface DevicePlan {
  values: PlannedValue[];
  skipped: SkippedSetting[];
}

export interface KnownParameter {
  type: string | null;
  writable: boolean | null;
}

/** What Beacon knows of a device's tree: the rows asked for, and the objects (names ending in ".") among their ancestors. */
export interface KnownParameters {
  parameters: ReadonlyMap<string, KnownParameter>;
  objects: ReadonlySet<string>;
}

export interface PlanInput {
  root: DataModelRoot | null;
  mapping: ResolvedMapping | null;
  /** The device's networks, to resolve paths given by meaning ({wifi.5g}, {wan.ppp}); null when not read yet. */
  networks?: NetworkMap | null;
  known: KnownParameters;
  settings: Readonly<Record<string, string>>;
  rawParameters?: readonly RawParameter[];
  context: VariableContext;
  /**
   * Values decided already, by setting (a replaced device's, a checkout's new passphrase): used as they are
   * instead of rendering the template's value. Only settings the template has are planned.
   */
  fixed?: Readonly<Record<string, string>>;
}

export function planDevice(input: PlanInput): DevicePlan {
  const values: PlannedValue[] = [];
  const skipped: SkippedSetting[] = [];
  const byPath = new Map<string, PlannedValue>();

  for (const key of orderedSettingKeys(input.settings)) {
    const definition = settingDefinition(key);
    if (!definition) {
      skipped.push({ setting: key, reason: `${key} is not a setting Beacon knows` });
      continue;
    }
    if (definition.beaconOnly) continue;
    if (!input.root || !input.mapping) {
      skipped.push({ setting: key, reason: "the device's data model is not known yet (no parameter names seen)" });
      continue;
    }
    const mapping = input.mapping.settings.get(key);
    if (!mapping) {
      skipped.push({
        setting: key,
        reason: `no mapping for ${key} on ${input.root} devices (${input.mapping.fileIds.join(", ")})`,
      });
      continue;
    }
    if (mapping.kind === "unsupported") {
      skipped.push({ setting: key, reason: `${mapping.reason} (mapping ${mapping.from})` });
      continue;
    }
    const fixed = input.fixed?.[key];
    const rendered =
      fixed !== undefined
        ? { ok: true as const, value: fixed, generated: false }
        : renderValue(input.settings[key]!, input.context);
    if (!rendered.ok) {
      skipped.push({ setting: key, reason: rendered.problem });
      continue;
    }
    const checked = checkSettingValue(key, rendered.value);
    if (!checked.ok) {
      skipped.push({ setting: key, reason: checked.problem });
      continue;
    }
    const planned: PlannedValue[] = [];
    let problem: SkippedSetting | null = null;
    for (const parameter of mapping.parameters) {
      let value = checked.value;
      if (parameter.values) {
        if (!Object.hasOwn(parameter.values, checked.value)) continue;
        value = parameter.values[checked.value]!;
      }
      const resolved = resolveMappingPath(parameter.path, input.networks ?? null);
      if (!resolved.ok) {
        problem = {
          setting: key,
          reason: resolved.reason,
          ...(resolved.unknownMap ? { awaitsNetworks: true } : {}),
        };
        break;
      }
      for (const path of resolved.paths) {
        const absence = absenceOf(path, input.known);
        if (absence) {
          problem = { setting: key, path, reason: absence };
          break;
        }
        const type = input.known.parameters.get(path)?.type ?? parameter.type ?? xsdTypeOf(definition.value);
        planned.push({
          setting: key,
          path,
          value,
          type,
          secret: Boolean(definition.secret),
          generated: rendered.generated,
        });
      }
      if (problem) break;
    }
    if (problem) {
      skipped.push(problem);
      continue;
    }
    if (planned.length === 0) {
      skipped.push({
        setting: key,
        reason: `${key} = "${checked.value}" is not a value ${mapping.from} maps for this device`,
      });
      continue;
    }
    const clash = planned.find((p) => byPath.has(p.path));
    if (clash) {
      skipped.push({
        setting: key,
        path: clash.path,
        reason: `${clash.path} is already set by ${byPath.get(clash.path)!.setting}`,
      });
      continue;
    }
    for (const p of planned) {
      byPath.set(p.path, p);
      values.push(p);
    }
  }

  for (const raw of input.rawParameters ?? []) {
    const rawRoot = raw.path.slice(0, raw.path.indexOf("."));
    if (rawRoot !== input.root) {
      skipped.push({
        setting: null,
        path: raw.path,
        reason: `a ${rawRoot} parameter; this device's data model is ${input.root ?? "not known yet"}`,
      });
      continue;
    }
    const rendered = renderValue(raw.value, input.context);
    if (!rendered.ok) {
      skipped.push({ setting: null, path: raw.path, reason: rendered.problem });
      continue;
    }
    const absence = absenceOf(raw.path, input.known);
    if (absence) {
      skipped.push({ setting: null, path: raw.path, reason: absence });
      continue;
    }
    const planned: PlannedValue = {
      setting: null,
      path: raw.path,
      value: rendered.value,
      type: raw.type ?? input.known.parameters.get(raw.path)?.type ?? "xsd:string",
      secret: isSecretParameter(raw.path),
      generated: rendered.generated,
    };
    const earlier = byPath.get(raw.path);
    if (earlier) {
      // A raw parameter is the more deliberate statement: it wins over the setting mapped to the same path.
      values.splice(values.indexOf(earlier), 1);
      skipped.push({ setting: earlier.setting, path: raw.path, reason: `overridden by the raw parameter ${raw.path}` });
    }
    byPath.set(raw.path, planned);
    values.push(planned);
  }
  return { values, skipped };
}

/** Settings in vocabulary order, so that a plan reads the same way every time. */
function orderedSettingKeys(settings: Readonly<Record<string, string>>): string[] {
  const order = Object.keys(SETTINGS);
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i === -1 ? order.length : i;
  };
  return Object.keys(settings).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Why a path cannot be set, judged only where Beacon knows the tree: when one of the path's ancestor objects has
 * been read (GetParameterNames), a parameter missing below it is absent. Otherwise the path is given the benefit
 * of the doubt, which is the case right after a first Inform.
 */
function absenceOf(path: string, known: KnownParameters): string | null {
  const row = known.parameters.get(path);
  if (row) return row.writable === false ? `${path} is read-only on this device` : null;
  return ancestorsOf(path).some((a) => known.objects.has(a)) ? `${path} is not among the device's parameters` : null;
}

/** "A.B.C.D" -> ["A.B.C.", "A.B.", "A."] */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let i = path.lastIndexOf(".", path.length - 2); i > 0; i = path.lastIndexOf(".", i - 1)) {
    out.push(path.slice(0, i + 1));
  }
  return out;
}

/** The paths a plan may touch, to load only those rows of DeviceParameter. */
export function candidatePaths(
  mapping: ResolvedMapping | null,
  settings: Readonly<Record<string, string>>,
  rawParameters: readonly RawParameter[] = [],
  networks: NetworkMap | null = null,
): string[] {
  const paths = new Set<string>();
  for (const key of Object.keys(settings)) {
    const m = mapping?.settings.get(key);
    if (m?.kind !== "parameters") continue;
    for (const p of m.parameters) {
      const resolved = resolveMappingPath(p.path, networks);
      if (resolved.ok) for (const path of resolved.paths) paths.add(path);
    }
  }
  for (const raw of rawParameters) paths.add(raw.path);
  return [...paths];
}

/** Rows of DeviceParameter for these paths and the objects above them, in one query. */
export async function knownParametersFor(
  db: Pick<Db, "deviceParameter">,
  deviceId: string,
  paths: readonly string[],
): Promise<KnownParameters> {
  const ancestors = new Set(paths.flatMap(ancestorsOf));
  const rows = await db.deviceParameter.findMany({
    where: { deviceId, name: { in: [...paths, ...ancestors] } },
    select: { name: true, type: true, writable: true, isObject: true },
  });
  const parameters = new Map<string, KnownParameter>();
  const objects = new Set<string>();
  for (const row of rows) {
    if (row.isObject || row.name.endsWith(".")) objects.add(row.name);
    else parameters.set(row.name, { type: row.type?.startsWith("xsd:") ? row.type : null, writable: row.writable });
  }
  return { parameters, objects };
}

import type { AcsRequest, CpeResponse, Fault } from "@beacon/cwmp";
import { faultText } from "@beacon/cwmp";
import type { Prisma } from "@beacon/db";
import { type NetworkInfo, type NetworkMap, networkLabel } from "../networks/network-map.ts";
import {
  type Placeholder,
  parsePlaceholder,
  pathOnNetwork,
  selectorOf,
  WIFI_SELECTORS,
} from "../networks/network-paths.ts";
import { loadNetworkMap } from "../networks/read-network-map.ts";
import { DEVICE_FOR_TEMPLATES_SELECT, mappingForDevice } from "../templates/device-context.ts";
import type { MappingSet, ResolvedMapping } from "../templates/mappings.ts";
import { candidatePaths, type KnownParameters, knownParametersFor, planDevice } from "../templates/plan.ts";

/**
 * The checkout on the device, planned from its network map when the session runs it. Every network a guest could
 * use (enabled main, guest and extra networks; never a mesh backhaul) is switched off, which disconnects its
 * clients, then gets the new passphrase and comes back on, one SetParameterValues per network so that a network
 * the device refuses does not hold back the others; finally the passphrases are read back. A network counts as
 * changed when the device accepted the passphrase and reads it back, as unverifiable when it accepted it and reads
 * passphrases back empty (TR-098/TR-181 say they do), and as failed otherwise.
 */

export type NetworkOutcomeStatus = "changed" | "unverifiable" | "failed";

export interface NetworkOutcome {
  path: string;
  label: string;
  band: NetworkInfo["band"];
  role: NetworkInfo["role"];
  ssid: string;
  status: NetworkOutcomeStatus;
  /** Why it failed, or why it could not be verified. */
  reason: string | null;
  /** Whether its clients were disconnected (the network was switched off and on). */
  clientsDropped: boolean;
}

export const NETWORK_OK: ReadonlySet<NetworkOutcomeStatus> = new Set(["changed", "unverifiable"]);

interface Value {
  name: string;
  value: string;
  type: string;
}

interface PlannedNetwork {
  network: Pick<NetworkInfo, "path" | "band" | "role" | "ssid">;
  label: string;
  values: Value[];
  passphrasePaths: string[];
  enablePath: string | null;
  /** Switched off first, to disconnect its clients. */
  cycled: boolean;
  accepted: boolean | null;
  failure: string | null;
}

type Step = { kind: "drop" } | { kind: "network"; index: number } | { kind: "restore" } | { kind: "readBack" };

/** The task's state between the session's requests (kept in the session row). */
export interface PreparedCheckout {
  parameterKey: string;
  passphrase: string;
  drop: Value[];
  networks: PlannedNetwork[];
  /** Values restored outside the covered networks (a switched-off network's name, ...). */
  restore: Value[];
  steps: Step[];
  dropped: boolean | null;
  notes: string[];
  outcomes: NetworkOutcome[] | null;
}

const SECRET = /(Password|Passphrase|PreSharedKey|Secret|Pwd)$/i;

/** The parameters of `field` (passphrase, enable) on one network, from the mapping's entries for any selector. */
function fieldPaths(mapping: ResolvedMapping, field: string, network: NetworkInfo): string[] {
  const own = selectorOf(network);
  const order = own ? [own, ...WIFI_SELECTORS.filter((s) => s !== own)] : [...WIFI_SELECTORS];
  for (const selector of order) {
    const entry = mapping.settings.get(`wifi.${selector}.${field}`);
    if (entry?.kind !== "parameters") continue;
    const paths: string[] = [];
    for (const p of entry.parameters) {
      if (p.values) continue;
      const placeholder = parsePlaceholder(p.path);
      if (placeholder?.kind === "wifi") {
        const path = pathOnNetwork(placeholder as Placeholder & { kind: "wifi" }, network);
        if (path) paths.push(path);
      } else if (
        !placeholder &&
        selector === own &&
        [network.path, network.accessPoint].some((o) => o && p.path.startsWith(o))
      ) {
        paths.push(p.path);
      }
    }
    if (paths.length) return paths;
  }
  return [];
}

function covered(network: NetworkInfo, settings: Readonly<Record<string, string>>): boolean {
  if (network.role === "backhaul") return false;
  const selector = selectorOf(network);
  const wanted = selector ? settings[`wifi.${selector}.enable`] : undefined;
  if (wanted === "false") return false;
  return network.enabled !== false || wanted === "true";
}

export interface CheckoutPlanInput {
  map: NetworkMap | null;
  mapping: ResolvedMapping | null;
  known: KnownParameters;
  settings: Readonly<Record<string, string>>;
  passphrase: string;
  parameterKey: string;
}

export function planCheckoutNetworks(input: CheckoutPlanInput): PreparedCheckout {
  const prepared: PreparedCheckout = {
    parameterKey: input.parameterKey,
    passphrase: input.passphrase,
    drop: [],
    networks: [],
    restore: [],
    steps: [],
    dropped: null,
    notes: [],
    outcomes: null,
  };
  const { map, mapping } = input;
  if (!map || !mapping) {
    prepared.notes.push(!map ? "the device's networks could not be read" : "the device's data model is not known");
    prepared.outcomes = [];
    return prepared;
  }
  const plan = planDevice({
    root: map.root,
    mapping,
    networks: map,
    known: input.known,
    settings: input.settings,
    fixed: input.settings,
    context: { values: {}, unavailable: {} },
  });
  const unplaced = new Set(plan.values);
  for (const network of map.networks.filter((n) => covered(n, input.settings))) {
    const label = networkLabel(network);
    const objects = [network.path, network.accessPoint, network.radio].filter((o): o is string => Boolean(o));
    const mine = plan.values.filter((v) => unplaced.has(v) && objects.some((o) => v.path.startsWith(o)));
    for (const v of mine) unplaced.delete(v);
    const values: Value[] = mine
      .filter((v) => !/\.enable$/.test(v.setting ?? ""))
      .map((v) => ({ name: v.path, value: v.value, type: v.type }));
    const passphrasePaths = fieldPaths(mapping, "passphrase", network);
    for (const path of passphrasePaths) {
      if (!values.some((v) => v.name === path))
        values.push({ name: path, value: input.passphrase, type: "xsd:string" });
      else for (const v of values) if (v.name === path) v.value = input.passphrase;
    }
    const enablePath = fieldPaths(mapping, "enable", network)[0] ?? null;
    const planned: PlannedNetwork = {
      network: { path: network.path, band: network.band, role: network.role, ssid: network.ssid },
      label,
      values,
      passphrasePaths,
      enablePath,
      cycled: false,
      accepted: null,
      failure: null,
    };
    if (passphrasePaths.length === 0) {
      planned.failure = "Beacon does not know where this device keeps this network's passphrase";
    } else {
      if (enablePath) {
        planned.values.push({ name: enablePath, value: "true", type: "xsd:boolean" });
        if (network.enabled !== false) {
          prepared.drop.push({ name: enablePath, value: "false", type: "xsd:boolean" });
          planned.cycled = true;
        }
      }
    }
    prepared.networks.push(planned);
  }
  prepared.restore = [...unplaced]
    .filter((v) => !/\.passphrase$/.test(v.setting ?? ""))
    .map((v) => ({ name: v.path, value: v.value, type: v.type }));
  if (prepared.networks.length === 0) {
    prepared.notes.push(
      map.networks.length === 0
        ? "no WiFi network was found on the device"
        : "no network a guest could use was recognised on the device",
    );
  }
  if (prepared.drop.length) prepared.steps.push({ kind: "drop" });
  prepared.networks.forEach((n, index) => {
    if (!n.failure) prepared.steps.push({ kind: "network", index });
  });
  if (prepared.restore.length) prepared.steps.push({ kind: "restore" });
  if (prepared.networks.some((n) => !n.failure)) prepared.steps.push({ kind: "readBack" });
  if (prepared.steps.length === 0) prepared.outcomes = outcomesOf(prepared, null);
  return prepared;
}

export function checkoutRequest(prepared: PreparedCheckout, step: number): AcsRequest {
  const s = prepared.steps[step]!;
  const set = (values: Value[]): AcsRequest => ({
    type: "SetParameterValues",
    parameterList: values,
    parameterKey: prepared.parameterKey,
  });
  switch (s.kind) {
    case "drop":
      return set(prepared.drop);
    case "network":
      return set(prepared.networks[s.index]!.values);
    case "restore":
      return set(prepared.restore);
    case "readBack":
      return {
        type: "GetParameterValues",
        parameterNames: prepared.networks
          .filter((n) => n.accepted)
          .flatMap((n) => [...n.passphrasePaths, ...(n.enablePath ? [n.enablePath] : [])]),
      };
  }
}

function describeFault(answer: Fault): string {
  const detail = answer.setParameterValuesFault?.map(
    (f) => `${f.parameterName}: ${f.faultString || faultText(f.faultCode)}`,
  );
  const text = `fault ${answer.faultCode} ${answer.faultString || faultText(answer.faultCode)}`;
  return detail?.length ? `${text} (${detail.join("; ")})` : text;
}

const MASKED = /^\**$/;

function outcomesOf(
  prepared: PreparedCheckout,
  readBack: ReadonlyMap<string, string> | { failed: string } | null,
): NetworkOutcome[] {
  return prepared.networks.map((n) => {
    const base = {
      path: n.network.path,
      label: n.label,
      band: n.network.band,
      role: n.network.role,
      ssid: n.network.ssid,
      clientsDropped: n.cycled && prepared.dropped === true && n.accepted === true,
    };
    if (n.failure) return { ...base, status: "failed", reason: n.failure };
    if (!n.accepted) return { ...base, status: "failed", reason: "the session ended before the device answered" };
    if (!readBack || "failed" in (readBack as object)) {
      const why = readBack && "failed" in readBack ? (readBack as { failed: string }).failed : "no read-back";
      return { ...base, status: "unverifiable", reason: `accepted; the read-back failed: ${why}` };
    }
    const values = readBack as ReadonlyMap<string, string>;
    if (n.enablePath && values.get(n.enablePath) !== undefined && !/^(true|1)$/i.test(values.get(n.enablePath)!)) {
      return { ...base, status: "failed", reason: "accepted the passphrase but is still switched off" };
    }
    const read = n.passphrasePaths.map((p) => values.get(p) ?? "");
    if (read.some((v) => v === prepared.passphrase)) return { ...base, status: "changed", reason: null };
    if (read.every((v) => MASKED.test(v))) {
      return {
        ...base,
        status: "unverifiable",
        reason: "accepted without fault; the device reads passphrases back empty",
      };
    }
    return { ...base, status: "failed", reason: "accepted, but the device reads back another passphrase" };
  });
}

export type CheckoutStepOutcome =
  | { kind: "next"; prepared: PreparedCheckout; values: Value[] }
  | { kind: "done"; prepared: PreparedCheckout; values: Value[] };

/** What one answer means for the checkout: the next step, or the outcome per network. */
export function checkoutAnswer(
  prepared: PreparedCheckout,
  step: number,
  answer: CpeResponse | Fault,
): CheckoutStepOutcome {
  const next: PreparedCheckout = structuredClone(prepared);
  const s = next.steps[step]!;
  let written: Value[] = [];
  const ok = answer.type === "SetParameterValuesResponse";
  switch (s.kind) {
    case "drop":
      next.dropped = ok;
      if (ok) written = next.drop;
      else
        next.notes.push(
          `switching the networks off to disconnect their clients failed: ${describeFault(answer as Fault)}`,
        );
      break;
    case "network": {
      const n = next.networks[s.index]!;
      n.accepted = ok;
      if (ok) written = n.values;
      else {
        n.failure = `refused the new passphrase: ${answer.type === "Fault" ? describeFault(answer) : `answered ${answer.type}`}`;
        if (n.cycled && next.dropped) n.failure += "; left switched off, so nobody can join it with the old passphrase";
      }
      break;
    }
    case "restore":
      if (ok) written = next.restore;
      else next.notes.push(`restoring the other settings failed: ${describeFault(answer as Fault)}`);
      break;
    case "readBack": {
      const values =
        answer.type === "GetParameterValuesResponse"
          ? new Map(answer.parameterList.map((p) => [p.name, p.value]))
          : { failed: answer.type === "Fault" ? describeFault(answer) : `answered ${answer.type}` };
      next.outcomes = outcomesOf(next, values);
      return { kind: "done", prepared: next, values: nonSecret(written) };
    }
  }
  if (step + 1 < next.steps.length) return { kind: "next", prepared: next, values: nonSecret(written) };
  next.outcomes = outcomesOf(next, null);
  return { kind: "done", prepared: next, values: nonSecret(written) };
}

function nonSecret(values: Value[]): Value[] {
  return values.filter((v) => !SECRET.test(v.name));
}

/** The result a checkoutNetworks task ends with. */
export function checkoutResult(prepared: PreparedCheckout): { networks: NetworkOutcome[]; notes: string[] } {
  return { networks: prepared.outcomes ?? outcomesOf(prepared, null), notes: prepared.notes };
}

/** Plans the checkout from what the database knows of the device now (in the session's transaction). */
export async function prepareCheckoutNetworks(
  tx: Prisma.TransactionClient,
  deviceId: string,
  args: { passphrase: string; settings: Record<string, string>; parameterKey?: string | undefined; checkoutId: string },
  mappings: MappingSet,
): Promise<PreparedCheckout> {
  const device = await tx.device.findUniqueOrThrow({ where: { id: deviceId }, select: DEVICE_FOR_TEMPLATES_SELECT });
  const { mapping } = await mappingForDevice(tx, device, mappings);
  const stored = await loadNetworkMap(tx, deviceId);
  const map = stored?.map ?? null;
  const known = await knownParametersFor(tx, deviceId, candidatePaths(mapping, args.settings, [], map));
  return planCheckoutNetworks({
    map,
    mapping,
    known,
    settings: args.settings,
    passphrase: args.passphrase,
    parameterKey: args.parameterKey ?? `checkout-${args.checkoutId.slice(0, 8)}`,
  });
}

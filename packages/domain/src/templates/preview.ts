import type { Db } from "@beacon/db";
import { NotAllowed, NotFound } from "../errors.ts";
import type { NetworkMap } from "../networks/network-map.ts";
import { loadNetworkMap } from "../networks/read-network-map.ts";
import { newPassphrase, passphraseRuleOf } from "./apply.ts";
import { activeAssignmentOf, loadDeviceForTemplates, mappingForDevice, variableContext } from "./device-context.ts";
import { loadMappings, type MappingSet } from "./mappings.ts";
import { candidatePaths, knownParametersFor, type PlannedValue, planDevice, type SkippedSetting } from "./plan.ts";
import { usesVariable } from "./render.ts";
import { templateReaches, versionContent } from "./templates.ts";

export interface TemplatePreview {
  deviceId: string;
  templateId: string;
  templateName: string;
  version: number;
  /** "InternetGatewayDevice" or "Device"; null until the device has told. */
  dataModelRoot: string | null;
  /** The mapping files that apply, least specific first. */
  mappingFiles: string[];
  /**
   * False when Beacon has not read the device's parameter tree (no GetParameterNames yet): paths were checked
   * against the mapping only, not against the device.
   */
  treeKnown: boolean;
  /** Exactly what a setParameterValues task would carry; values marked generated come out differently each time. */
  values: (PlannedValue & { network: string | null })[];
  /** The device's networks as last read (null: not read yet, settings given by meaning wait for them). */
  networks: NetworkMap | null;
  /** False when the device's networks were read but none could be placed on a band. */
  networksRecognised: boolean | null;
  /** Settings the device cannot take, with the reason. */
  skipped: SkippedSetting[];
}

/** What a template version would set on a device, without queueing anything. */
export async function previewTemplate(
  db: Db,
  input: { templateVersionId: string; deviceId: string; mappings?: MappingSet },
): Promise<TemplatePreview> {
  const version = await db.templateVersion.findUnique({
    where: { id: input.templateVersionId },
    include: { template: true },
  });
  if (!version) throw new NotFound("template version");
  const device = await loadDeviceForTemplates(db, input.deviceId);
  if (!templateReaches(version.template, device.tenant)) {
    throw new NotAllowed(`template ${version.template.name} cannot be used in this device's domain`);
  }
  let assignment = await activeAssignmentOf(db, device.id);
  const content = versionContent(version);
  const uses = Object.values(content.settings).some((v) => usesVariable(v, "room.passphrase"));
  if (assignment?.room && !assignment.room.wifiPassphrase && uses) {
    // Applying would give the room its first passphrase; show one such (it is not stored).
    const example = newPassphrase(passphraseRuleOf([content]), variableContext(device, assignment));
    if (example.ok) assignment = { ...assignment, room: { ...assignment.room, wifiPassphrase: example.value } };
  }
  const { root, mapping } = await mappingForDevice(db, device, input.mappings ?? loadMappings());
  const stored = await loadNetworkMap(db, device.id);
  const networks = stored?.map ?? null;
  const known = await knownParametersFor(
    db,
    device.id,
    candidatePaths(mapping, content.settings, content.rawParameters, networks),
  );
  const plan = planDevice({
    root,
    mapping,
    networks,
    known,
    settings: content.settings,
    rawParameters: content.rawParameters,
    context: variableContext(device, assignment),
  });
  return {
    deviceId: device.id,
    templateId: version.templateId,
    templateName: version.template.name,
    version: version.version,
    dataModelRoot: root,
    mappingFiles: mapping?.fileIds ?? [],
    treeKnown: known.objects.size > 0,
    values: plan.values.map((v) => ({ ...v, network: networkOfPath(networks, v.path) })),
    skipped: plan.skipped,
    networks,
    networksRecognised: stored ? stored.recognised : null,
  };
}

/** The network a parameter belongs to, in words ("5 GHz main network \"Hotel\" (…SSID.3)"), or null. */
export function networkOfPath(map: NetworkMap | null, path: string): string | null {
  const network = map?.networks.find((n) =>
    [n.path, n.accessPoint, n.radio].some((o) => o && path.startsWith(o) && (o !== n.radio || n.radio === n.path)),
  );
  if (!network) return null;
  const band = network.band === "unknown" ? "unknown band" : network.band.replace("GHz", " GHz");
  return `${band} ${network.role} "${network.ssid}" (${network.path.replace(/\.$/, "")})`;
}

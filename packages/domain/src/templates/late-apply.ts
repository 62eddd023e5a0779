import type { Prisma } from "@beacon/db";
import { loadNetworkMap } from "../networks/read-network-map.ts";
import type { TaskArgsOf } from "../tasks/task-kinds.ts";
import { DEVICE_FOR_TEMPLATES_SELECT, mappingForDevice } from "./device-context.ts";
import type { MappingSet } from "./mappings.ts";
import { candidatePaths, knownParametersFor, type PlannedValue, planDevice, type SkippedSetting } from "./plan.ts";

/**
 * Settings given by meaning that could not be placed when a template was applied, because the device's networks
 * had not been read yet (a device's first session): the session runs an applySettings task after reading them,
 * and this resolves it. What each template set is recorded on its DeviceTemplate row, replacing the "waiting for
 * the networks" entries.
 */
export async function prepareApplySettings(
  tx: Prisma.TransactionClient,
  deviceId: string,
  taskId: string,
  args: TaskArgsOf<"applySettings">,
  mappings: MappingSet,
): Promise<{ values: { name: string; value: string; type: string }[]; skipped: SkippedSetting[] }> {
  const device = await tx.device.findUniqueOrThrow({ where: { id: deviceId }, select: DEVICE_FOR_TEMPLATES_SELECT });
  const { root, mapping } = await mappingForDevice(tx, device, mappings);
  const map = (await loadNetworkMap(tx, deviceId))?.map ?? null;
  const known = await knownParametersFor(tx, deviceId, candidatePaths(mapping, args.settings, [], map));
  const plan = planDevice({
    root,
    mapping,
    networks: map,
    known,
    settings: args.settings,
    fixed: args.settings,
    context: { values: {}, unavailable: {} },
  });
  const skipped = plan.skipped.map((s) =>
    s.awaitsNetworks ? { setting: s.setting, reason: "the device's networks could not be read" } : s,
  );

  const byTemplate = new Map<string, { values: PlannedValue[]; skipped: SkippedSetting[] }>();
  const entry = (templateId: string) => {
    let e = byTemplate.get(templateId);
    if (!e) {
      e = { values: [], skipped: [] };
      byTemplate.set(templateId, e);
    }
    return e;
  };
  for (const v of plan.values)
    if (v.setting && args.templates[v.setting]) entry(args.templates[v.setting]!).values.push(v);
  for (const s of skipped)
    if (s.setting && args.templates[s.setting]) entry(args.templates[s.setting]!).skipped.push(s);
  for (const [templateId, e] of byTemplate) {
    const row = await tx.deviceTemplate.findUnique({ where: { deviceId_templateId: { deviceId, templateId } } });
    if (!row) continue;
    const keys = new Set([...e.values, ...e.skipped].map((x) => x.setting));
    const earlierValues = (Array.isArray(row.values) ? row.values : []) as unknown as PlannedValue[];
    const earlierSkipped = (Array.isArray(row.skipped) ? row.skipped : []) as unknown as SkippedSetting[];
    await tx.deviceTemplate.update({
      where: { id: row.id },
      data: {
        values: [...earlierValues.filter((v) => !keys.has(v.setting)), ...e.values] as unknown as Prisma.InputJsonValue,
        skipped: [
          ...earlierSkipped.filter((s) => !keys.has(s.setting)),
          ...e.skipped,
        ] as unknown as Prisma.InputJsonValue,
        taskIds: row.taskIds.includes(taskId) ? row.taskIds : [...row.taskIds, taskId],
      },
    });
  }
  return { values: plan.values.map((v) => ({ name: v.path, value: v.value, type: v.type })), skipped };
}

import type { SetParameterValuesFault } from "@beacon/cwmp";
import type { Db } from "@beacon/db";
import { settleCheckouts } from "../checkout/checkout-status.ts";
import { onDiagnosticsComplete } from "../diagnostics/diagnostics.ts";
import { collectOnInform } from "../monitoring/collection-profiles.ts";
import { loadMonitoringMappings, type MonitoringMappingSet } from "../monitoring/monitoring-mappings.ts";
import { onParameterValues } from "../monitoring/parameter-values-hook.ts";
import { queueNetworkMapRead, touchesNetworks } from "../networks/read-network-map.ts";
import { provisionOnInform } from "../provisioning/provision.ts";
import { loadMappings, type MappingSet } from "../templates/mappings.ts";
import { retryWithoutRejected } from "../templates/rejected-settings.ts";
import { dataModelRootOf, EVENT, type InformFacts } from "./inform-facts.ts";

/**
 * What the rest of Beacon wants to hear from a CWMP session: provisioning, diagnostics, monitoring, templates
 * and checkouts. The session engine calls these after its own writes have committed. Work whose results the
 * same session should act on (tasks it queues) is awaited; the rest runs in the background, and its failures
 * go to onError, never to the CPE.
 */
export interface SessionHooks {
  /** After an Inform is stored, before the InformResponse goes out. */
  informStored(inform: StoredInform): Promise<void>;
  /** After a GetParameterValuesResponse is stored. */
  valuesRead(deviceId: string, values: readonly { name: string; value: string }[], now: Date): void;
  /** After a SetParameterValues task ended in a fault that names the refused parameters. */
  valuesRefused(taskId: string, faults: readonly SetParameterValuesFault[]): void;
  /**
   * After the session's empty response. `known.checkoutPending` false says the statement that ended the session
   * found no pending checkout of the device, so there is nothing to settle.
   */
  sessionEnded(deviceId: string, now: Date, known?: { checkoutPending: boolean }): void;
  /** Resolves when the background work under way has finished, e.g. before the process stops. */
  drain(): Promise<void>;
}

export interface StoredInform {
  deviceId: string;
  created: boolean;
  provisionedAt: Date | null;
  facts: InformFacts;
  now: Date;
  /** False when only the shared bootstrap credential speaks for the device: nothing is provisioned yet. */
  trusted?: boolean;
}

const WAITING_CHECK_MS = 5_000;

export interface SessionHooksOptions {
  onError: (what: string, error: unknown) => void;
  /** Queue a read of the device's networks at its first session, boots and changes (default true). */
  readNetworkMaps?: boolean;
  /**
   * At each Inform, queue the reads of the monitored metrics older than the device's monitoring profile wants
   * (default true), so that the same session brings them.
   */
  collectMetrics?: boolean;
}

export function createSessionHooks(db: Db, options: SessionHooksOptions): SessionHooks {
  let provisioningMappings: MappingSet | undefined;
  let monitoringMappings: MonitoringMappingSet | undefined;
  const running = new Set<Promise<unknown>>();
  const background = (what: string, work: () => Promise<unknown>) => {
    const done = work()
      .catch((error: unknown) => options.onError(what, error))
      .finally(() => running.delete(done));
    running.add(done);
  };
  // Most Informs come from devices no assignment will ever match; asking whether any assignment waits at all,
  // at most every few seconds per process, spares them the provisioning queries.
  let waiting: { checkedAt: number; any: Promise<boolean> } | undefined;
  const anyAssignmentWaiting = (now: Date) => {
    if (!waiting || now.getTime() - waiting.checkedAt > WAITING_CHECK_MS || now.getTime() < waiting.checkedAt) {
      const any = db.deviceAssignment.findFirst({ where: { state: "waiting" }, select: { id: true } }).then(
        (row) => row !== null,
        () => true,
      );
      waiting = { checkedAt: now.getTime(), any };
    }
    return waiting.any;
  };
  const urgent = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      options.onError(what, error);
    }
  };

  return {
    async informStored({ deviceId, created, provisionedAt, facts, now, trusted = true }) {
      const codes = new Set(facts.events.map((e) => e.code));
      if (facts.parameters.length) {
        monitoringMappings ??= loadMonitoringMappings();
        const mappings = monitoringMappings;
        // The Inform names the device, so the hook need not read its row again.
        const device = {
          ...facts,
          dataModelRoot: dataModelRootOf(facts.parameters),
          modelName: facts.parameters.find((p) => p.name.endsWith(".DeviceInfo.ModelName"))?.value ?? null,
        };
        background("monitoring", () => onParameterValues(db, deviceId, facts.parameters, { now, mappings, device }));
      }
      // A device's networks are read when something first needs them (a template given by meaning, a checkout, the
      // console), then again after every boot, bootstrap or change of them, in that session (the read is due before
      // anything else); a periodic Inform costs nothing.
      const root = dataModelRootOf(facts.parameters);
      const changed =
        codes.has(EVENT.valueChange) &&
        touchesNetworks(
          root,
          facts.parameters.map((p) => p.name),
        );
      const readsNetworks = options.readNetworkMaps ?? true;
      if (readsNetworks && !created && (codes.has(EVENT.boot) || codes.has(EVENT.bootstrap) || changed)) {
        await urgent("networks", async () => {
          const known = await db.deviceNetworkMap.findUnique({
            where: { deviceId },
            select: { device: { select: { id: true, tenantId: true } } },
          });
          if (known) await queueNetworkMapRead(db, known.device, now);
        });
      }
      const waits: Promise<void>[] = [];
      if ((options.collectMetrics ?? true) && trusted && !created) {
        monitoringMappings ??= loadMonitoringMappings();
        const mappings = monitoringMappings;
        waits.push(urgent("monitoring", () => collectOnInform(db, deviceId, now, mappings)));
      }
      if (codes.has(EVENT.diagnosticsComplete)) {
        waits.push(urgent("diagnostics", () => onDiagnosticsComplete(db, deviceId, now)));
      }
      // A device the shared credential alone speaks for gets its own credentials first; its templates (and their
      // secrets) wait for its next Inform, made with those credentials.
      if (trusted && (codes.has(EVENT.bootstrap) || provisionedAt === null)) {
        provisioningMappings ??= loadMappings();
        const mappings = provisioningMappings;
        const provision = () => provisionOnInform(db, { id: deviceId }, facts, { mappings });
        // A new or reset device is configured in this very session. So is a known, unprovisioned one while some
        // assignment waits: typically a device the shared credential admitted last session, now on its own.
        if (created || codes.has(EVENT.bootstrap)) waits.push(urgent("provisioning", provision));
        else
          waits.push(urgent("provisioning", async () => ((await anyAssignmentWaiting(now)) ? provision() : undefined)));
      }
      await Promise.all(waits);
    },
    valuesRead(deviceId, values, now) {
      if (!values.length) return;
      monitoringMappings ??= loadMonitoringMappings();
      const mappings = monitoringMappings;
      background("monitoring", () => onParameterValues(db, deviceId, values, { now, mappings }));
    },
    valuesRefused(taskId, faults) {
      background("templates", () => retryWithoutRejected(db, taskId, faults));
    },
    sessionEnded(deviceId, now, known) {
      if (known?.checkoutPending === false) return;
      background("checkouts", () => settleCheckouts(db, { deviceId }, now));
    },
    async drain() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}

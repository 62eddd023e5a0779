import type { Db, Diagnostic } from "@beacon/db";
import { effectiveAlarmRules } from "../alarms/alarm-rules.ts";
import { NotFound } from "../errors.ts";
import { collectionNames, effectiveMonitoringProfile } from "../monitoring/collection-profiles.ts";
import type { MetricName } from "../monitoring/metrics.ts";
import {
  loadMonitoringMappings,
  type MonitoringMappingSet,
  resolveMonitoring,
} from "../monitoring/monitoring-mappings.ts";
import { classifyOpticalLevel } from "../monitoring/optical-levels.ts";
import { createTask, type TaskActor } from "../tasks/create-task.ts";
import type { PingResult, ThroughputResult, WifiScanResult } from "./diagnostic-results.ts";
import { startDiagnostic } from "./diagnostics.ts";

export type CheckStatus = "ok" | "warning" | "failing" | "unknown" | "notApplicable";

export interface HealthCheckItem {
  check: "reachability" | "link" | "optical" | "wifi" | "latency" | "throughput" | "reboots" | "faults" | "alarms";
  status: CheckStatus;
  summary: string;
}

export interface HealthReport {
  deviceId: string;
  at: Date;
  /** failing if any check fails, degraded if any warns, unknown if Beacon never heard from the device. */
  verdict: "healthy" | "degraded" | "failing" | "unknown";
  summary: string;
  checks: HealthCheckItem[];
  /** What `refresh` started: read the report again once these finished. */
  started: { diagnosticIds: string[]; taskIds: string[] };
}

export interface HealthCheckOptions {
  now?: Date;
  /** Also start fresh measurements: re-read the monitored metrics, ping and/or run a download test. */
  refresh?: { pingHost?: string; downloadUrl?: string; actor: TaskActor };
  mappings?: MonitoringMappingSet;
}

const DAY_MS = 86_400_000;

/**
 * What applies to the device, from what Beacon knows: reachability, WAN link, optical level, WiFi, latency and
 * throughput of the latest diagnostics, recent reboots and faults, active alarms; with an overall verdict.
 * With `refresh`, it also queues new readings and diagnostics (wake the device to get them now).
 */
export async function healthCheck(db: Db, deviceId: string, options: HealthCheckOptions = {}): Promise<HealthReport> {
  const now = options.now ?? new Date();
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: {
      id: true,
      productClass: true,
      manufacturer: true,
      oui: true,
      modelName: true,
      dataModelRoot: true,
      lastInformAt: true,
      periodicInformInterval: true,
      tenant: { select: { ancestorIds: true } },
    },
  });
  if (!device) throw new NotFound("device");
  const mappings = options.mappings ?? loadMonitoringMappings();
  const resolved = resolveMonitoring(mappings, device);
  const rules = await effectiveAlarmRules(db, {
    ancestorIds: device.tenant.ancestorIds,
    productClass: device.productClass,
  });
  const week = new Date(now.getTime() - 7 * DAY_MS);
  const [metrics, linkParams, diagnostics, boots, faults, alarms] = await Promise.all([
    db.deviceMetric.findMany({ where: { deviceId } }),
    resolved?.link.length
      ? db.deviceParameter.findMany({ where: { deviceId, name: { in: resolved.link.map((l) => l.path) } } })
      : [],
    db.diagnostic.findMany({
      where: { deviceId, state: "complete", completedAt: { gt: week } },
      orderBy: { completedAt: "desc" },
    }),
    db.deviceEvent.findMany({ where: { deviceId, code: "1 BOOT", at: { gt: week } }, select: { at: true } }),
    db.task.findMany({ where: { deviceId, state: "fault", finishedAt: { gt: week } }, select: { finishedAt: true } }),
    db.alarm.findMany({ where: { deviceId, state: "active" } }),
  ]);
  const metric = (name: MetricName) => metrics.find((m) => m.metric === name);
  const latest = (kind: Diagnostic["kind"]) => diagnostics.find((d) => d.kind === kind);
  const checks: HealthCheckItem[] = [];

  // Reachability
  if (!device.lastInformAt) {
    checks.push({ check: "reachability", status: "unknown", summary: "Beacon never heard from this device" });
  } else {
    const interval = device.periodicInformInterval ?? rules["device.offline"].settings.assumedIntervalSeconds;
    const silent = (now.getTime() - device.lastInformAt.getTime()) / 1000;
    const status: CheckStatus =
      silent <= interval * 1.5 + 300
        ? "ok"
        : silent <= interval * rules["device.offline"].settings.intervals
          ? "warning"
          : "failing";
    checks.push({
      check: "reachability",
      status,
      summary: `last Inform ${Math.round(silent / 60)} min ago (expected every ${Math.round(interval / 60)} min)`,
    });
  }

  // WAN link
  const link = resolved?.link.find((l) => linkParams.some((p) => p.name === l.path));
  if (!link) {
    checks.push({ check: "link", status: "notApplicable", summary: "no link status known for this model" });
  } else {
    const value = linkParams.find((p) => p.name === link.path)?.value ?? "";
    checks.push({
      check: "link",
      status: link.up.includes(value) ? "ok" : "failing",
      summary: `WAN link ${value || "unknown"}`,
    });
  }

  // Optical level
  const rx = metric("optical.rxPower");
  if (!rx) {
    // An ONT is a device whose mapping places the received level on a path it reports (or may: never read yet).
    const opticalPaths = resolved?.metrics.get("optical.rxPower") ?? [];
    const reports = opticalPaths.length
      ? await db.deviceParameter.count({
          where: { deviceId, name: { in: opticalPaths.filter((s) => !s.pattern).map((s) => s.path) } },
        })
      : 0;
    checks.push(
      reports
        ? {
            check: "optical",
            status: "unknown",
            summary: "optical level not read yet (it is collected at the next Inform)",
          }
        : opticalPaths.length && !device.lastInformAt
          ? { check: "optical", status: "unknown", summary: "no optical reading yet" }
          : {
              check: "optical",
              status: "notApplicable",
              summary: opticalPaths.length
                ? "no optical level reported (not an ONT, or its optical object is not known to Beacon)"
                : "not applicable (not an ONT)",
            },
    );
  } else if (now.getTime() - rx.at.getTime() > DAY_MS) {
    checks.push({ check: "optical", status: "unknown", summary: `no optical reading since ${rx.at.toISOString()}` });
  } else {
    const low = rules["optical.rxLow"].settings;
    const cls = classifyOpticalLevel(rx.value, {
      warning: low.warning,
      critical: low.critical,
      overload: rules["optical.rxOverload"].settings.above,
    });
    const status: CheckStatus = cls === "good" ? "ok" : cls === "warning" ? "warning" : "failing";
    const words = {
      good: "fine",
      warning: "weak",
      critical: "too weak",
      overload: "too strong (overload)",
      noSignal: "no signal",
    }[cls];
    checks.push({
      check: "optical",
      status,
      summary: rx.value === null ? "no optical signal" : `received ${rx.value} dBm: ${words}`,
    });
  }

  // WiFi
  const clients = metric("wifi.clients");
  const scan = latest("wifiScan")?.result as WifiScanResult | undefined;
  if (!clients && !scan) {
    checks.push({ check: "wifi", status: "unknown", summary: "no WiFi readings" });
  } else {
    const limit = rules["wifi.clientsHigh"].settings.above;
    const parts: string[] = [];
    if (clients?.value !== null && clients?.value !== undefined) parts.push(`${clients.value} clients`);
    if (scan)
      parts.push(`${scan.networks.length} neighbouring networks, busiest channel ${scan.channels[0]?.channel ?? "-"}`);
    const status: CheckStatus = (clients?.value ?? 0) > limit ? "warning" : "ok";
    checks.push({ check: "wifi", status, summary: parts.join("; ") || "no WiFi readings" });
  }

  // Latency (latest ping within a day)
  const ping = latest("ping");
  if (!ping || now.getTime() - (ping.completedAt?.getTime() ?? 0) > DAY_MS) {
    checks.push({ check: "latency", status: "unknown", summary: "no ping within the last day" });
  } else {
    const r = ping.result as unknown as PingResult;
    const status: CheckStatus =
      r.lossPercent >= 50 ? "failing" : r.lossPercent > 0 || (r.avgMs ?? 0) > 100 ? "warning" : "ok";
    checks.push({ check: "latency", status, summary: ping.summary ?? "" });
  }

  // Throughput (latest download test within a week)
  const download = latest("download");
  if (!download) {
    checks.push({ check: "throughput", status: "unknown", summary: "no download test within the last week" });
  } else {
    const r = download.result as unknown as ThroughputResult;
    checks.push({ check: "throughput", status: r.mbps === null ? "unknown" : "ok", summary: download.summary ?? "" });
  }

  // Reboots and faults
  const rebootRule = rules["device.reboots"].settings;
  const recentBoots = boots.filter((b) => b.at.getTime() > now.getTime() - rebootRule.windowHours * 3_600_000).length;
  checks.push({
    check: "reboots",
    status: recentBoots >= rebootRule.count ? "warning" : "ok",
    summary: `${recentBoots} reboots within ${rebootRule.windowHours} h, ${boots.length} within 7 days`,
  });
  const faultRule = rules["device.faults"].settings;
  const recentFaults = faults.filter(
    (f) => (f.finishedAt?.getTime() ?? 0) > now.getTime() - faultRule.windowHours * 3_600_000,
  ).length;
  checks.push({
    check: "faults",
    status: recentFaults >= faultRule.count ? "warning" : "ok",
    summary: `${recentFaults} failed tasks within ${faultRule.windowHours} h, ${faults.length} within 7 days`,
  });

  // Active alarms
  const worst = alarms.some((a) => a.severity === "critical" || a.severity === "major")
    ? "failing"
    : alarms.length
      ? "warning"
      : "ok";
  checks.push({
    check: "alarms",
    status: worst,
    summary: alarms.length ? alarms.map((a) => `${a.severity}: ${a.message}`).join("; ") : "no active alarms",
  });

  const started = options.refresh
    ? await refresh(db, device, options.refresh, resolved, now)
    : { diagnosticIds: [], taskIds: [] };
  const verdict: HealthReport["verdict"] =
    checks[0]!.status === "unknown"
      ? "unknown"
      : checks.some((c) => c.status === "failing")
        ? "failing"
        : checks.some((c) => c.status === "warning")
          ? "degraded"
          : "healthy";
  const problems = checks.filter((c) => c.status === "failing" || c.status === "warning");
  const summary =
    verdict === "healthy"
      ? "healthy: nothing needs attention"
      : verdict === "unknown"
        ? "unknown: Beacon never heard from this device"
        : `${verdict}: ${problems.map((p) => `${p.check} (${p.summary})`).join("; ")}`;
  return { deviceId, at: now, verdict, summary, checks, started };
}

async function refresh(
  db: Db,
  device: { id: string },
  what: NonNullable<HealthCheckOptions["refresh"]>,
  resolved: ReturnType<typeof resolveMonitoring>,
  now: Date,
): Promise<HealthReport["started"]> {
  const started: HealthReport["started"] = { diagnosticIds: [], taskIds: [] };
  if (resolved) {
    const profile = await effectiveMonitoringProfile(db, device.id);
    const metrics = profile?.metrics ?? ([...resolved.metrics.keys()] as MetricName[]);
    const known = await db.deviceParameter.findMany({ where: { deviceId: device.id }, select: { name: true } });
    const names = collectionNames(resolved, metrics, new Set(known.map((k) => k.name)));
    if (names.length) {
      const task = await createTask(
        db,
        {
          deviceId: device.id,
          kind: "getParameterValues",
          args: { names },
          notBefore: now,
          expiresAt: new Date(now.getTime() + 3_600_000),
        },
        what.actor,
      );
      started.taskIds.push(task.id);
    }
  }
  const tests: [string, Record<string, unknown> | null][] = [
    ["ping", what.pingHost ? { host: what.pingHost } : null],
    ["download", what.downloadUrl ? { url: what.downloadUrl } : null],
  ];
  for (const [kind, params] of tests) {
    if (!params) continue;
    const diagnostic = await startDiagnostic(db, { deviceId: device.id, kind, params, actor: what.actor, now }).catch(
      () => null,
    );
    if (diagnostic) {
      started.diagnosticIds.push(diagnostic.id);
      if (diagnostic.setTaskId) started.taskIds.push(diagnostic.setTaskId);
    }
  }
  return started;
}

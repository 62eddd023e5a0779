import { existsSync } from "node:fs";
import { checkDatabase, migrationsDir, pendingMigrations } from "@beacon/db";
import type { BeaconConfig } from "../config.ts";
import { openDatabase } from "../database.ts";
import { portProblem } from "../ports.ts";

type Check = { name: string; ok: boolean; detail: string };

/** `beacon doctor`: configuration, database and ports, one line each; exit 1 when anything needs fixing. */
export async function doctor(config: BeaconConfig): Promise<number> {
  const checks: Check[] = [];
  checks.push({
    name: "configuration",
    ok: true,
    detail: `data folder ${config.dataDir}, console port ${config.consolePort}, CWMP port ${config.cwmpPort}`,
  });
  checks.push({
    name: "node",
    ok: nodeSupported(process.versions.node),
    detail: `Node ${process.versions.node} (Beacon needs 20.19 or newer)`,
  });
  try {
    const database = await openDatabase(config);
    try {
      const state = await checkDatabase(database.url);
      checks.push({
        name: "database",
        ok: state.ok,
        detail: state.ok
          ? `${database.source} PostgreSQL ${state.serverVersion}, answered in ${state.latencyMs} ms`
          : state.error,
      });
      const pending = await pendingMigrations(database.url, migrationsDir);
      checks.push({
        name: "migrations",
        ok: true,
        detail: pending.length
          ? `${pending.length} pending (applied at next start): ${pending.join(", ")}`
          : "up to date",
      });
    } finally {
      await database.stop();
    }
  } catch (error) {
    checks.push({ name: "database", ok: false, detail: (error as Error).message });
  }
  for (const [variable, port] of [
    ["CONSOLE_PORT", config.consolePort],
    ["CWMP_PORT", config.cwmpPort],
  ] as const) {
    const problem = await portProblem(port);
    const serving = problem === "in-use" && (await answersHealth(variable, port));
    checks.push({
      name: variable,
      ok: !problem || serving,
      detail: serving
        ? `port ${port} is served by a running Beacon`
        : problem === "in-use"
          ? `port ${port} is taken by another program`
          : problem === "denied"
            ? `port ${port} needs privileges`
            : `port ${port} is free`,
    });
  }
  checks.push({
    name: "chromium",
    ok: true,
    detail: chromiumPath() ?? "not found (only `npm test` needs it: apt-get install -y chromium)",
  });
  for (const check of checks)
    process.stdout.write(`${check.ok ? "ok  " : "FAIL"}  ${check.name.padEnd(14)} ${check.detail}\n`);
  return checks.every((check) => check.ok) ? 0 : 1;
}

function nodeSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 20 || (major === 20 && minor >= 19);
}

async function answersHealth(variable: string, port: number): Promise<boolean> {
  const path = variable === "CWMP_PORT" ? "/healthz" : "/api/health";
  try {
    return (await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function chromiumPath(): string | undefined {
  return [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, "/usr/bin/chromium"].find((p) => p && existsSync(p));
}

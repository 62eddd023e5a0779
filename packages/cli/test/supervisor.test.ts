import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Supervisor, type SupervisorStatus, spawnChild } from "../src/supervisor.ts";

const folders: string[] = [];
const supervisors: Supervisor[] = [];
afterEach(async () => {
  for (const supervisor of supervisors.splice(0)) await supervisor.stopAll();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function setup(restartLimit: number) {
  const folder = mkdtempSync(join(tmpdir(), "beacon-supervisor-"));
  folders.push(folder);
  const lines: string[] = [];
  const gaveUp: string[] = [];
  const statusFile = join(folder, "run", "status.json");
  const supervisor = new Supervisor({
    restartLimit,
    statusFile,
    log: (line) => lines.push(line),
    onGiveUp: (message) => gaveUp.push(message),
    firstDelayMs: 50,
  });
  supervisors.push(supervisor);
  const status = () => JSON.parse(readFileSync(statusFile, "utf8")) as SupervisorStatus;
  return { supervisor, lines, gaveUp, status };
}

/** A real Node.js process: `script` runs in it. */
const nodeChild = (script: string) => () =>
  spawnChild(process.execPath, ["-e", script], { stdio: "ignore", graceMs: 2_000 });

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Supervisor", () => {
  it("restarts a child killed with SIGKILL, logs why, and keeps the restart in the status file", async () => {
    const { supervisor, lines, status } = setup(3);
    await supervisor.add({ key: "ingress", name: "the CWMP ingress", start: nodeChild("setInterval(() => {}, 1000)") });
    const first = supervisor.pidOf("ingress");
    expect(first).toBeGreaterThan(0);
    process.kill(first as number, "SIGKILL");
    const second = await until(() => {
      const pid = supervisor.pidOf("ingress");
      return pid && pid !== first ? pid : undefined;
    });
    expect(second).not.toBe(first);
    expect(lines.join("\n")).toMatch(
      /the CWMP ingress was killed \(SIGKILL\); restarting it in 0\.1 s \(restart 1 of 3/,
    );
    const written = await until(() => (status().children[0]?.pid === second ? status() : undefined));
    expect(written.children[0]).toMatchObject({ key: "ingress", state: "running", restarts: 1 });
    expect(written.events.map((e) => e.kind)).toEqual(["exited", "restarted"]);
    expect(written.events[0]?.message).toContain("SIGKILL");
  });

  it("gives up with a sentence naming the child and its exit once it dies past the limit", async () => {
    const { supervisor, gaveUp, status } = setup(2);
    await supervisor.add({ key: "worker", name: "the worker", start: nodeChild("process.exit(3)") });
    const message = await until(() => gaveUp[0]);
    expect(message).toMatch(
      /^the worker exited with code 3: it stopped 3 times within 10 minutes, more than the 2 restarts allowed \(BEACON_RESTART_LIMIT\); giving up/,
    );
    expect(status().events.at(-1)).toMatchObject({ child: "worker", kind: "gave-up" });
  });

  it("backs off longer for each quick death in a row", async () => {
    const { supervisor, lines } = setup(4);
    await supervisor.add({ key: "console", name: "the console", start: nodeChild("process.exit(1)") });
    await until(() => lines.filter((line) => line.includes("restarting it")).length >= 3 || undefined);
    const delays = lines
      .filter((line) => line.includes("restarting it"))
      .map((line) => /in ([\d.]+) s/.exec(line)?.[1]);
    expect(delays.slice(0, 3)).toEqual(["0.1", "0.1", "0.2"]);
  });

  it("stops every child on stopAll, the stopLast ones after the others, and restarts none", async () => {
    const { supervisor, lines } = setup(3);
    const order: string[] = [];
    const tracked = (key: string) => async () => {
      const child = await nodeChild("process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000)")();
      return {
        ...child,
        stop: async () => {
          await child.stop();
          order.push(key);
        },
      };
    };
    await supervisor.add({
      key: "postgres",
      name: "the embedded PostgreSQL",
      start: tracked("postgres"),
      stopLast: true,
    });
    await supervisor.add({ key: "ingress", name: "the CWMP ingress", start: tracked("ingress") });
    await supervisor.stopAll();
    expect(order).toEqual(["ingress", "postgres"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.filter((line) => line.includes("restarting"))).toEqual([]);
    expect(supervisor.pidOf("ingress")).toBeUndefined();
  });

  it("raises an alarm once and clears it once", async () => {
    const { supervisor, lines, status } = setup(3);
    supervisor.alarm("storage", "the disk of the data folder /x is full");
    supervisor.alarm("storage", "the disk of the data folder /x is full");
    expect(status().alarms).toEqual([expect.objectContaining({ key: "storage" })]);
    supervisor.alarm("storage", null);
    expect(status().alarms).toEqual([]);
    expect(lines).toEqual([
      "ALARM: the disk of the data folder /x is full",
      "alarm cleared: the disk of the data folder /x is full",
    ]);
  });
});

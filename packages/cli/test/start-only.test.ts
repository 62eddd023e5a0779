import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStartArgs } from "../src/commands/start.ts";
import { ConfigProblem } from "../src/config.ts";
import { repoRoot } from "../src/repo.ts";

const beacon = join(repoRoot, "bin", "beacon.mjs");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answers(url: string): Promise<number | "refused"> {
  try {
    return (await fetch(url)).status;
  } catch {
    return "refused";
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s`);
}

type Status = { children: { key: string; pid: number | null; state: string; restarts: number }[] };

describe("beacon start --only", () => {
  it("reads a comma list of roles, each once, and refuses unknown roles and options with one sentence", () => {
    expect([...parseStartArgs([])]).toEqual(["ingress", "usp", "console", "worker"]);
    expect([...parseStartArgs(["--only", "ingress"])]).toEqual(["ingress"]);
    expect([...parseStartArgs(["--only=console,worker,console"])]).toEqual(["console", "worker"]);
    expect(() => parseStartArgs(["--only", "ingres"])).toThrow(ConfigProblem);
    expect(() => parseStartArgs(["--only", "ingres"])).toThrow(/unknown role "ingres".*ingress, usp, console, worker/);
    expect(() => parseStartArgs(["--only"])).toThrow(/--only needs a list of roles/);
    expect(() => parseStartArgs(["--fast"])).toThrow(/unknown option "--fast"/);
  });

  describe("the ingress alone against DATABASE_URL", { timeout: 180_000 }, () => {
    let database: TestDatabase;
    let dataDir: string;
    let child: ChildProcess;
    let output = "";
    let cwmpPort: number;
    let consolePort: number;
    let uspPort: number;

    beforeAll(async () => {
      database = await createTestDatabase();
      dataDir = await mkdtemp(join(tmpdir(), "beacon-only-"));
      [cwmpPort, consolePort, uspPort] = [await freePort(), await freePort(), await freePort()];
      child = spawn(process.execPath, [beacon, "start", "--only", "ingress"], {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          BEACON_DATA_DIR: dataDir,
          CWMP_PORT: String(cwmpPort),
          CONSOLE_PORT: String(consolePort),
          USP_WS_PORT: String(uspPort),
          BEACON_INGRESS_PROCESSES: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout?.on("data", (chunk) => {
        output += chunk;
      });
      child.stderr?.on("data", (chunk) => {
        output += chunk;
      });
      await waitFor(
        async () => output.includes("Beacon is running"),
        `beacon start --only ingress did not start:\n${output}`,
      );
    });

    afterAll(async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it("serves CWMP, starts no console, USP controller, worker or database, and says which roles run", async () => {
      expect(await answers(`http://127.0.0.1:${cwmpPort}/healthz`)).toBe(200);
      expect(await answers(`http://127.0.0.1:${consolePort}/api/health`)).toBe("refused");
      expect(await answers(`http://127.0.0.1:${uspPort}/healthz`)).toBe("refused");
      expect(output).toContain("running ingress only (--only)");
      expect(output).toContain("using the database at DATABASE_URL");
      expect(output).not.toMatch(/console {2}http/);
      const status = JSON.parse(await readFile(join(dataDir, "run", "status.json"), "utf8")) as Status;
      expect(status.children.map((c) => c.key)).toEqual(["ingress-1"]);
    });

    it("restarts its ingress alone after a kill -9, on the same port", async () => {
      const before = JSON.parse(await readFile(join(dataDir, "run", "status.json"), "utf8")) as Status;
      const pid = before.children[0]?.pid;
      expect(pid).toBeTypeOf("number");
      process.kill(pid as number, "SIGKILL");
      await waitFor(async () => {
        const status = JSON.parse(await readFile(join(dataDir, "run", "status.json"), "utf8")) as Status;
        const ingress = status.children[0];
        return ingress?.state === "running" && ingress.pid !== pid && ingress.restarts === 1;
      }, "the ingress was not restarted");
      await waitFor(async () => (await answers(`http://127.0.0.1:${cwmpPort}/healthz`)) === 200, "no health");
    });

    it("stops with exit code 0 on SIGTERM", async () => {
      child.kill("SIGTERM");
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(0);
    });
  });
});

/**
 * `npm run -s bench:upload-memory [-- --size-mib 1024]`: starts Beacon as `npm start` does (a production build, its
 * own data folder and ports), signs in as the admin, uploads one image of the given size through the console's
 * POST /api/firmware, and reads the console's resident memory (the `next start` process and its children) before,
 * at its peak during the upload (VmHWM, bench/src/processes/resources.ts) and after. Prints one JSON document; the
 * point is that the peak stays near the baseline however large the image is.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort } from "@beacon/db/embedded";
import { childrenOf, type ProcessGroup, rssMb, startMeter } from "./processes/resources.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({ options: { "size-mib": { type: "string", default: "1024" } } });
const sizeBytes = Number(values["size-mib"]) * 1024 * 1024;
if (!Number.isInteger(sizeBytes) || sizeBytes <= 0) throw new Error("--size-mib takes a whole number of MiB");

const log = (message: string) => console.error(`[upload-memory ${new Date().toISOString().slice(11, 19)}] ${message}`);

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** The console: the `next start` process under `beacon start` (it renames itself next-server) and its children. */
function consoleGroup(beaconPid: number): ProcessGroup | null {
  const next = childrenOf(beaconPid).find((pid) => /next/.test(commandOf(pid)));
  return next ? { name: "console", pid: next, tree: true } : null;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`beacon start exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Signs in through next-auth's credentials callback and returns the session cookie header. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const answer = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = answer.headers.getSetCookie().find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in failed (HTTP ${answer.status})`);
  return [...cookies, session.split(";")[0]].join("; ");
}

async function platformId(base: string, cookie: string): Promise<string> {
  const answer = await fetch(`${base}/api/trpc/session.me`, { headers: { cookie } });
  const body = (await answer.json()) as { result: { data: { json: { memberships: { domain: { id: string } }[] } } } };
  const id = body.result.data.json.memberships[0]?.domain.id;
  if (!id) throw new Error("the admin has no domain");
  return id;
}

/** Streams `size` bytes (one random MiB, repeated) as the body, honouring back-pressure. */
function upload(url: string, cookie: string, size: number): Promise<{ status: number; body: string }> {
  const chunk = randomBytes(1024 * 1024);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { cookie, "content-type": "application/octet-stream", "content-length": String(size) },
      },
      (res) => {
        let body = "";
        res.on("data", (data) => {
          body += data;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const piece = sent + chunk.length <= size ? chunk : chunk.subarray(0, size - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "beacon-upload-memory-"));
  const consolePort = await freePort();
  const cwmpPort = await freePort();
  const admin = { email: "admin@upload-memory.test", password: "upload-memory-password" };
  const beacon = spawn(process.execPath, [join(repoRoot, "bin", "beacon.mjs"), "start"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: "",
      BEACON_DATA_DIR: dataDir,
      CONSOLE_PORT: String(consolePort),
      CWMP_PORT: String(cwmpPort),
      BEACON_ADMIN_EMAIL: admin.email,
      BEACON_ADMIN_PASSWORD: admin.password,
      BEACON_FIRMWARE_MAX_BYTES: String(sizeBytes + 1),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const base = `http://127.0.0.1:${consolePort}`;
    log(`starting Beacon in ${dataDir} (builds the console if needed)`);
    await waitForHealth(`${base}/api/health`, beacon);
    const group = consoleGroup(beacon.pid!);
    if (!group) throw new Error("cannot find the console's process");
    const cookie = await signIn(base, admin.email, admin.password);
    const tenantId = await platformId(base, cookie);
    // Let the console settle after its first requests.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const before = rssMb(group);
    // The kernel's high-water mark, reset here, so that no short peak falls between two samples.
    const meter = startMeter([group]);
    log(`uploading ${mib(sizeBytes)} MiB; console RSS ${before} MB before`);
    const started = performance.now();
    const query = new URLSearchParams({
      tenantId,
      name: "upload-memory.bin",
      vendor: "Beacon",
      version: "memory-test",
      productClasses: "MemoryTest",
    });
    const answer = await upload(`${base}/api/firmware?${query}`, cookie, sizeBytes);
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { console: usage } = meter.stop();
    const after = rssMb(group);
    if (answer.status !== 201) throw new Error(`the upload answered ${answer.status}: ${answer.body}`);
    const stored = readdirSync(join(dataDir, "files")).filter((f) => !f.startsWith("."));
    const result = {
      uploadedMiB: mib(sizeBytes),
      seconds: Math.round(seconds * 10) / 10,
      mibPerSecond: Math.round((sizeBytes / 1024 / 1024 / seconds) * 10) / 10,
      consoleRssMb: {
        before,
        peak: usage!.peakRssMb,
        after,
        peakOverBefore: Math.round((usage!.peakRssMb - before) * 10) / 10,
      },
      consoleProcesses: usage!.processes,
      consoleCpuSeconds: usage!.cpuSeconds,
      file: JSON.parse(answer.body) as unknown,
      storedFiles: stored.length,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    beacon.kill("SIGTERM");
    await new Promise((resolve) => beacon.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

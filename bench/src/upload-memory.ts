/**
 * `npm run -s bench:upload-memory [-- --size-mib 1024]`: starts Beacon as `npm start` does (a production build, its
 * own data folder and ports), signs in as the admin, uploads one image of the given size through the console's
 * POST /api/firmware and samples the console's resident memory (the `next start` process and its children) every
 * 100 ms before, during and after. Prints one JSON document; the point is that the peak stays near the baseline
 * however large the image is.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({ options: { "size-mib": { type: "string", default: "1024" } } });
const sizeBytes = Number(values["size-mib"]) * 1024 * 1024;
if (!Number.isInteger(sizeBytes) || sizeBytes <= 0) throw new Error("--size-mib takes a whole number of MiB");

const log = (message: string) => console.error(`[upload-memory ${new Date().toISOString().slice(11, 19)}] ${message}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The console: the `next start` process under `beacon start` (it renames itself next-server), with its children. */
function consoleTree(beaconPid: number): number[] {
  const next = childrenOf(beaconPid).find((pid) => /next/.test(commandOf(pid)));
  if (!next) return [];
  const tree = [next];
  for (let i = 0; i < tree.length; i++) tree.push(...childrenOf(tree[i]!));
  return tree;
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
    const tree = () => consoleTree(beacon.pid!);
    const sample = () => tree().reduce((sum, pid) => sum + rssBytes(pid), 0);
    if (!tree().length) throw new Error("cannot find the console's process");
    const cookie = await signIn(base, admin.email, admin.password);
    const tenantId = await platformId(base, cookie);
    // Let the console settle after its first requests.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const baseline = sample();
    let peak = baseline;
    const timer = setInterval(() => {
      peak = Math.max(peak, sample());
    }, 100);
    log(`uploading ${mib(sizeBytes)} MiB; console RSS ${mib(baseline)} MiB before`);
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
    clearInterval(timer);
    const after = sample();
    if (answer.status !== 201) throw new Error(`the upload answered ${answer.status}: ${answer.body}`);
    const stored = readdirSync(join(dataDir, "files")).filter((f) => !f.startsWith("."));
    const result = {
      uploadedMiB: mib(sizeBytes),
      seconds: Math.round(seconds * 10) / 10,
      mibPerSecond: Math.round((sizeBytes / 1024 / 1024 / seconds) * 10) / 10,
      consoleRssMiB: {
        before: mib(baseline),
        peak: mib(peak),
        after: mib(after),
        peakOverBefore: mib(peak - baseline),
      },
      consoleProcesses: tree().length,
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

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Not sources of the build: outputs, tests, and files `next build` itself rewrites.
const SKIP = new Set(["node_modules", ".next", ".turbo", "test", "generated", "next-env.d.ts", "tsconfig.tsbuildinfo"]);

/** A fingerprint of everything the console build reads, from file names, sizes and times. */
function sourcesFingerprint(root: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
      }
    }
  };
  walk(join(root, "apps", "console"));
  walk(join(root, "packages"));
  hash.update(readFileSync(join(root, "package-lock.json")));
  hash.update(readFileSync(join(root, "prisma", "schema.prisma")));
  return hash.digest("hex");
}

/** Builds the console with `next build` unless the last build came from the same sources. */
export async function buildConsoleIfNeeded(root: string, log: (line: string) => void): Promise<void> {
  const consoleDir = join(root, "apps", "console");
  const stampFile = join(consoleDir, ".next", "beacon-sources.sha256");
  const fingerprint = sourcesFingerprint(root);
  if (existsSync(join(consoleDir, ".next", "BUILD_ID")) && existsSync(stampFile)) {
    if (readFileSync(stampFile, "utf8") === fingerprint) return;
  }
  log("building the console (first start or changed sources; about a minute)…");
  const started = Date.now();
  await run(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], consoleDir);
  // Fingerprint again: the build may touch files it reads, and the next start must see them as built.
  writeFileSync(stampFile, sourcesFingerprint(root));
  log(`console built in ${Math.round((Date.now() - started) / 1000)} s`);
}

export async function generatePrismaClient(root: string): Promise<void> {
  await run(process.execPath, [join(root, "scripts", "prisma-generate.mjs")], root);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${args.join(" ")} failed (exit ${code}):\n${output.join("").slice(-4000)}`));
    });
  });
}

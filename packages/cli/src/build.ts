import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

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

/**
 * The CWMP ingress as one ESM file: its sources and the workspace packages bundled by esbuild, npm packages left
 * to node_modules (the file lives in apps/ingress/.build so that they resolve; data files are found from the
 * working directory, the repository). Run with plain node, an ingress process has no tsx loader thread: about
 * 50 MB less resident memory each (bench quick B: 265 -> 215 MB peak), for a build of about a second at start.
 */
export async function buildIngressBundle(root: string): Promise<string> {
  const { build } = await import("esbuild");
  const outfile = join(root, "apps", "ingress", ".build", "server.mjs");
  const result = await build({
    entryPoints: [join(root, "apps", "ingress", "src", "server.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    outfile,
    logLevel: "silent",
    plugins: [
      {
        name: "npm-packages-external",
        setup(plugin) {
          // Bare imports are npm packages (left external) except Beacon's own workspace packages (bundled).
          plugin.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@beacon/") ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
    banner: {
      js: "import { createRequire as __beaconRequire } from 'node:module'; const require = __beaconRequire(import.meta.url);",
    },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild wrote no ingress bundle");
  mkdirSync(dirname(outfile), { recursive: true });
  // Another start may run the file meanwhile: it is replaced whole, never rewritten in place.
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, output.contents);
  renameSync(temporary, outfile);
  return outfile;
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

import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDataFolder } from "@beacon/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/repo.ts";

/** A small tmpfs of our own, read-only or tiny; tests that need one skip (saying so) where mounting is not allowed. */
function mountTmpfs(options: string): { dir: string; unmount: () => void } | null {
  const dir = mkdtempSync(join(tmpdir(), "beacon-tmpfs-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "ignore", timeout: 5_000 });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    unmount: () => {
      execFileSync("umount", [dir], { stdio: "ignore", timeout: 5_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function beaconStart(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, "bin", "beacon.mjs"), "start"],
      {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: "", CONSOLE_PORT: "0", CWMP_PORT: "0", ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("the data folder", { timeout: 90_000 }, () => {
  let readOnly: ReturnType<typeof mountTmpfs>;
  let tiny: ReturnType<typeof mountTmpfs>;
  beforeAll(() => {
    readOnly = mountTmpfs("ro,size=1m");
    tiny = mountTmpfs("size=2m");
    if (!readOnly || !tiny) console.log("skipped: cannot mount a tmpfs here (needs root with mount rights)");
  });
  afterAll(() => {
    readOnly?.unmount();
    tiny?.unmount();
  });

  it("is refused at start with one sentence when it is on a read-only file system", async ({ skip }) => {
    if (!readOnly) return skip();
    const result = await beaconStart({
      BEACON_DATA_DIR: join(readOnly.dir, "data"),
      CONSOLE_PORT: "3391",
      CWMP_PORT: "7691",
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `beacon: cannot start: the data folder ${join(readOnly.dir, "data")} is on a read-only file system`,
    );
  });

  it("is refused at start when its disk is (nearly) full, saying how much is free", async ({ skip }) => {
    if (!tiny) return skip();
    const result = await beaconStart({ BEACON_DATA_DIR: tiny.dir, CONSOLE_PORT: "3392", CWMP_PORT: "7692" });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(
      /^beacon: cannot start: the disk of the data folder \S+ has only \d+ (KiB|MiB) free \(Beacon needs at least 64 MiB\)$/,
    );
  });

  it("reports a disk that filled up to the last byte as full", ({ skip }) => {
    if (!tiny) return skip();
    try {
      writeFileSync(join(tiny.dir, "filler"), Buffer.alloc(4 * 1024 * 1024));
    } catch {
      // ENOSPC: what we wanted
    }
    const state = checkDataFolder(tiny.dir);
    expect(state).toMatchObject({ ok: false, problem: "disk-full" });
    rmSync(join(tiny.dir, "filler"), { force: true });
  });

  it("is fine on a writable disk with room", () => {
    const dir = mkdtempSync(join(tmpdir(), "beacon-data-"));
    expect(checkDataFolder(dir)).toMatchObject({ ok: true });
    rmSync(dir, { recursive: true, force: true });
  });
});

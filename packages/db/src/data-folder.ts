import { existsSync, mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Below this, PostgreSQL and uploads are about to fail: start-up refuses and the status page raises an alarm. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

export type DataFolderState =
  | { ok: true; freeBytes: number }
  | {
      ok: false;
      problem: "read-only" | "no-permission" | "disk-full" | "unusable";
      message: string;
      freeBytes?: number;
    };

/**
 * Whether Beacon can write to its data folder: creates it if needed, writes and removes a probe file, and checks
 * the free space of its file system. The message is for the operator (the log, the admin's status page).
 */
export function checkDataFolder(dataDir: string, minFreeBytes = MIN_FREE_BYTES): DataFolderState {
  try {
    mkdirSync(dataDir, { recursive: true });
    const probe = join(dataDir, `.write-probe-${process.pid}`);
    writeFileSync(probe, "beacon");
    rmSync(probe, { force: true });
  } catch (caught) {
    const error = caught as NodeJS.ErrnoException;
    // mkdir -p on a read-only file system says ENOENT: ask the nearest folder that exists for the real reason.
    const code = error.code === "ENOENT" ? (reasonAtExistingAncestor(dataDir) ?? error.code) : error.code;
    if (code === "EROFS") {
      return { ok: false, problem: "read-only", message: `the data folder ${dataDir} is on a read-only file system` };
    }
    if (code === "EACCES" || code === "EPERM") {
      return {
        ok: false,
        problem: "no-permission",
        message: `this user (uid ${process.getuid?.() ?? "?"}) cannot write to the data folder ${dataDir}`,
      };
    }
    if (code === "ENOSPC" || code === "EDQUOT") {
      return {
        ok: false,
        problem: "disk-full",
        message: `the disk of the data folder ${dataDir} is full`,
        freeBytes: 0,
      };
    }
    return {
      ok: false,
      problem: "unusable",
      message: `cannot write to the data folder ${dataDir}: ${error.message}`,
    };
  }
  const stats = statfsSync(dataDir);
  const freeBytes = Number(stats.bavail) * Number(stats.bsize);
  if (freeBytes < minFreeBytes) {
    return {
      ok: false,
      problem: "disk-full",
      message: `the disk of the data folder ${dataDir} has only ${formatBytes(freeBytes)} free (Beacon needs at least ${formatBytes(minFreeBytes)})`,
      freeBytes,
    };
  }
  return { ok: true, freeBytes };
}

function reasonAtExistingAncestor(dir: string): string | undefined {
  let ancestor = dirname(dir);
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  try {
    rmSync(mkdtempSync(join(ancestor, ".beacon-probe-")), { recursive: true, force: true });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

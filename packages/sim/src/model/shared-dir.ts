import { fileURLToPath } from "node:url";

/**
 * Where the shared material lives: BEACON_SHARED_DIR, else ../shared beside the repository (absent on a
 * fresh clone). The one place this package reads the environment.
 */
export function sharedDir(): string {
  return process.env.BEACON_SHARED_DIR ?? fileURLToPath(new URL("../../../../../shared", import.meta.url));
}

import type { ParameterStore } from "./parameter-store.ts";
import { acceptValue, isSecret } from "./values.ts";

/**
 * The simulator's vendor configuration file: "Name=Value" lines. Upload "1 Vendor Configuration File"
 * sends one; Download "3 Vendor Configuration File" applies one.
 */

/** The writable, non-secret parameters, one line each. */
export function configurationBackup(store: ParameterStore, read: (name: string) => string): Buffer {
  const lines: string[] = [];
  for (const node of store.descendants("")) {
    if (!node.object && node.writable && !isSecret(node.name)) lines.push(`${node.name}=${read(node.name)}`);
  }
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}

/** Applies the lines that name a writable parameter with a valid value; the rest are ignored. */
export function applyConfiguration(store: ParameterStore, text: string): void {
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    const node = store.node(name);
    if (!node || node.object || !node.writable) continue;
    const value = acceptValue(node.type, line.slice(eq + 1), store.value(name) ?? "");
    if (value !== undefined) store.setValue(name, value);
  }
}

/** Upload "2 Vendor Log File". */
export function logFile(serialNumber: string, now: string): Buffer {
  return Buffer.from(`${now} ${serialNumber} beacon-sim: log upload\n`, "utf8");
}

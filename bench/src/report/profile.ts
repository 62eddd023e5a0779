import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult } from "./result.ts";

/**
 * Reads the V8 CPU profile the ingress wrote on exit (node --cpu-prof) and sums self time by function and by
 * package, over the samples of scenario B's closed loop when B ran (the profile's clock is not the wall
 * clock: the window is placed back from the profile's end, which is the ingress's exit), else over all.
 */

export interface ProfileSummary {
  /** A copy of the profile, for Chrome DevTools or speedscope. */
  file: string;
  /** "B closed loop" or "whole run". */
  window: string;
  sampledSeconds: number;
  /** Share of sampled time: (idle), (garbage collector), (program), and JavaScript by package. */
  byCategory: { name: string; seconds: number; share: number }[];
  /** The functions with the most self time. */
  topFunctions: { function: string; where: string; seconds: number; share: number }[];
  /** Ingress CPU per steady-state session, when B ran. */
  cpuMsPerSession?: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function summariseProfile(dir: string, result: BenchResult, exitedAt: number): ProfileSummary | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  } catch {
    return undefined;
  }
  // One file per thread (tsx's loader runs in a worker): the main thread's is the largest.
  const file = files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  if (!file) return undefined;
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfMicros = new Map<number, number>();
  const window = result.steadyState?.closed.window;
  const from = window ? profile.endTime - (exitedAt - window.start) * 1000 : Number.NEGATIVE_INFINITY;
  const to = window ? profile.endTime - (exitedAt - window.end) * 1000 : Number.POSITIVE_INFINITY;
  let total = 0;
  let at = profile.startTime;
  for (let k = 0; k < profile.samples.length; k++) {
    at += profile.timeDeltas[k] ?? 0;
    if (at < from || at > to) continue;
    const micros = profile.timeDeltas[k + 1] ?? 0;
    const id = profile.samples[k]!;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + micros);
    total += micros;
  }
  const byFunction = new Map<string, { function: string; where: string; micros: number }>();
  const byCategory = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const frame = frames.get(id)!;
    const category = categoryOf(frame);
    byCategory.set(category, (byCategory.get(category) ?? 0) + micros);
    if (frame.functionName.startsWith("(")) continue;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "(native)";
    const key = `${frame.functionName}@${where}`;
    const entry = byFunction.get(key) ?? { function: frame.functionName || "(anonymous)", where, micros: 0 };
    entry.micros += micros;
    byFunction.set(key, entry);
  }
  const seconds = (micros: number) => Math.round(micros / 10_000) / 100;
  const share = (micros: number) => Math.round((micros / total) * 1000) / 1000;
  const ingressCpu = result.steadyState?.closed.usage.ingress?.cpuSeconds;
  const sessions = result.steadyState?.closed.sessions;
  return {
    file: join(dir, file),
    window: window ? "B closed loop" : "whole run",
    sampledSeconds: seconds(total),
    byCategory: [...byCategory.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, micros]) => ({ name, seconds: seconds(micros), share: share(micros) })),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.micros - a.micros)
      .slice(0, 30)
      .map((f) => ({ function: f.function, where: f.where, seconds: seconds(f.micros), share: share(f.micros) })),
    ...(ingressCpu !== undefined && sessions
      ? { cpuMsPerSession: Math.round((ingressCpu * 100_000) / sessions) / 100 }
      : {}),
  };
}

function categoryOf(frame: CallFrame): string {
  if (frame.functionName.startsWith("(")) return frame.functionName;
  const url = frame.url;
  if (!url) return "native";
  if (url.startsWith("node:")) return "node";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const workspace = /\/(packages\/[^/]+|apps\/[^/]+)\//.exec(url);
  if (workspace) return workspace[1]!;
  return "other";
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) return url.slice(modules + "node_modules/".length);
  const workspace = /\/((?:packages|apps)\/.*)$/.exec(url);
  return workspace ? workspace[1]! : url.replace(/^file:\/\//, "");
}

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

/**
 * CPU seconds and peak memory of the processes under test, from /proc, over one measured phase.
 *
 * - CPU: utime + stime of each process (/proc/<pid>/stat). For a process tree (PostgreSQL: the postmaster and
 *   its backends) the postmaster's cutime + cstime is added, which holds the CPU of backends that exited.
 * - Peak RSS: VmHWM (/proc/<pid>/status), reset at the start of the phase (clear_refs 5), summed over the
 *   tree. Shared memory (PostgreSQL's shared_buffers) counts once per backend that touched it, so for
 *   PostgreSQL this overstates; peakPssMb (the sampled maximum of the summed proportional set size, which
 *   splits shared pages between their users) is the honest figure for a tree.
 */

export interface ProcessGroup {
  name: string;
  /** The group's root pid; `tree` adds its direct children (PostgreSQL's backends). */
  pid: number;
  tree?: boolean;
}

export interface GroupUsage {
  cpuSeconds: number;
  peakRssMb: number;
  peakPssMb: number;
  processes: number;
}

export type Usage = Record<string, GroupUsage>;

const TICKS_PER_SECOND = clockTicks();
/** Reading smaps_rollup walks page tables: often enough to catch a peak, rarely enough to cost next to nothing. */
const SAMPLE_MS = 2_000;

export interface Meter {
  stop(): Usage;
}

export function startMeter(groups: readonly ProcessGroup[]): Meter {
  const startCpu = new Map(groups.map((g) => [g.name, cpuTicks(g)]));
  for (const g of groups) for (const pid of pidsOf(g)) resetPeak(pid);
  const peakPss = new Map(groups.map((g) => [g.name, 0]));
  const sample = () => {
    for (const g of groups) peakPss.set(g.name, Math.max(peakPss.get(g.name)!, pssKb(g)));
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const usage: Usage = {};
      for (const g of groups) {
        const pids = pidsOf(g);
        usage[g.name] = {
          cpuSeconds: round((cpuTicks(g) - startCpu.get(g.name)!) / TICKS_PER_SECOND),
          peakRssMb: round(pids.reduce((sum, pid) => sum + statusKb(pid, "VmHWM"), 0) / 1024),
          peakPssMb: round(peakPss.get(g.name)! / 1024),
          processes: pids.length,
        };
      }
      return usage;
    },
  };
}

/** The resident memory of a group now (VmRSS summed), in MB. */
export function rssMb(group: ProcessGroup): number {
  return round(pidsOf(group).reduce((sum, pid) => sum + statusKb(pid, "VmRSS"), 0) / 1024);
}

function pidsOf(group: ProcessGroup): number[] {
  if (!group.tree) return [group.pid];
  return [group.pid, ...childrenOf(group.pid)];
}

/** Direct children: /proc/<pid>/task/<tid>/children (Linux 3.5+), else a scan of /proc. */
export function childrenOf(pid: number): number[] {
  try {
    const children: number[] = [];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      if (text) children.push(...text.split(" ").map(Number));
    }
    return children;
  } catch {
    const children: number[] = [];
    for (const entry of readdirSync("/proc")) {
      if (/^\d+$/.test(entry) && readStat(Number(entry))?.ppid === pid) children.push(Number(entry));
    }
    return children;
  }
}

function cpuTicks(group: ProcessGroup): number {
  let ticks = 0;
  for (const pid of pidsOf(group)) {
    const stat = readStat(pid);
    if (!stat) continue;
    ticks += stat.utime + stat.stime;
    if (group.tree && pid === group.pid) ticks += stat.cutime + stat.cstime;
  }
  return ticks;
}

interface Stat {
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
  return {
    ppid: Number(fields[1]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
    cutime: Number(fields[13]),
    cstime: Number(fields[14]),
  };
}

function statusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function pssKb(group: ProcessGroup): number {
  let total = 0;
  for (const pid of pidsOf(group)) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      total += match ? Number(match[1]) : 0;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Linux 4.0+: writing 5 to clear_refs resets VmHWM to the current RSS. */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Not ours to reset (another user without privileges): the peak then counts from the process's start.
  }
}

function clockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

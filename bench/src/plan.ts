/** What one `npm run bench` does: which scenarios, at what sizes, with how much concurrency. */

export type ScenarioId = "A" | "B" | "C" | "D" | "E" | "F";
export const SCENARIOS: readonly ScenarioId[] = ["A", "B", "C", "D", "E", "F"];

export interface BenchPlan {
  mode: "full" | "quick";
  scenarios: readonly ScenarioId[];
  /** Sessions the driver keeps in flight in closed-loop runs (baseline, A, B, C). */
  concurrency: number;
  baseline: { seconds: number; fixedRateSeconds: number };
  bootStorm: { devices: number };
  steadyState: {
    devices: number;
    seconds: number;
    fixedRate: number;
    fixedRateSeconds: number;
    /** Offer this share of the bare baseline's closed-loop sessions/s instead of `fixedRate` (issue #20: 40 %). */
    fixedRateShare?: number;
  };
  taskWork: { devices: number; wakeConcurrency: number };
  deviceList: { devices: number; samples: number };
  /** E: B's closed loop against this many ingress processes sharing the port, in turn, each for `seconds`. */
  scaleOut: { processes: number[]; seconds: number };
  /** F: devices under load while the children of `beacon start` are killed, their inform period, tasks per kill. */
  recovery: { devices: number; informSeconds: number; tasksPerKill: number };
  /** PostgreSQL with fsync off: faster, not what `npm start` runs. */
  unsafeFastPostgres: boolean;
  /** Run the ingress under `node --cpu-prof` and summarise the profile of scenario B. */
  profile: boolean;
  /** Reuse keep-alive connections across sessions (cheaper for the driver; real CPEs connect per session). */
  reuseConnections: boolean;
  /** Keep the temporary folder (PostgreSQL data, ingress log, CPU profile). */
  keep: boolean;
  /** Run the ingress from an esbuild bundle, as `beacon start` does (false: from its sources through tsx). */
  ingressBundle: boolean;
  /** Where the result goes; default bench/results/<date>-<sha>[-quick].json. */
  out?: string;
}

const FULL: Omit<
  BenchPlan,
  "scenarios" | "unsafeFastPostgres" | "profile" | "mode" | "reuseConnections" | "keep" | "ingressBundle"
> = {
  concurrency: 256,
  baseline: { seconds: 20, fixedRateSeconds: 20 },
  bootStorm: { devices: 10_000 },
  steadyState: { devices: 100_000, seconds: 30, fixedRate: 1_000, fixedRateSeconds: 30, fixedRateShare: 0.4 },
  taskWork: { devices: 10_000, wakeConcurrency: 128 },
  deviceList: { devices: 1_000_000, samples: 200 },
  scaleOut: { processes: [1, 2, 4], seconds: 20 },
  recovery: { devices: 300, informSeconds: 6, tasksPerKill: 100 },
};

/** Sized to finish well under a minute on a quiet 2-core machine; the fixed rate is low enough not to pile up. */
const QUICK: typeof FULL = {
  concurrency: 64,
  baseline: { seconds: 3, fixedRateSeconds: 2 },
  bootStorm: { devices: 200 },
  steadyState: { devices: 2_000, seconds: 5, fixedRate: 100, fixedRateSeconds: 2 },
  taskWork: { devices: 200, wakeConcurrency: 64 },
  deviceList: { devices: 20_000, samples: 20 },
  // Short enough for CI: two process counts, 3 s each, on B's fleet.
  scaleOut: { processes: [1, 2], seconds: 3 },
  recovery: { devices: 60, informSeconds: 4, tasksPerKill: 20 },
};

export type Command = { kind: "run"; plan: BenchPlan } | { kind: "compare"; before: string; after: string };

export class UsageError extends Error {}

export const USAGE = `usage: npm run bench [-- options]
  --quick                 tiny sizes, well under a minute (CI)
  --only A,B,C,D,E,F      run only these scenarios (A boot storm, B steady state, C tasks, D device list,
                          E scale-out: B against 1, 2, 4 ingress processes (quick: 1, 2),
                          F recovery: kill -9 of each child of beacon start under load)
  --concurrency N         sessions in flight in closed-loop runs (default 256, quick 64)
  --devices-a N           boot storm size              (default 10000)
  --devices-b N           steady-state fleet           (default 100000)
  --seconds-b N           steady-state duration, each of the two runs (default 30)
  --rate-b N              fixed offered rate, sessions/s (default 1000, quick 100)
  --devices-c N           devices with one task each   (default 10000)
  --devices-d N           devices in the database      (default 1000000)
  --devices-f N           devices under load in F      (default 300, quick 60)
  --unsafe-fast           PostgreSQL with fsync off (not what npm start runs)
  --reuse-connections     keep TCP connections across sessions (real CPEs connect per session)
  --keep                  keep the temporary folder (PostgreSQL data, ingress log, profile)
  --ingress-tsx           run the ingress from its sources through tsx instead of the bundle beacon start runs
  --profile               run the ingress under node --cpu-prof and summarise scenario B's profile
  --out FILE              write the result here instead of bench/results/<date>-<sha>.json
  --compare A.json B.json print the change from A to B`;

export function parseCommand(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.includes("--help") || args.includes("-h")) throw new UsageError(USAGE);
  const compareAt = args.indexOf("--compare");
  if (compareAt !== -1) {
    const [before, after] = args.slice(compareAt + 1);
    if (!before || !after || before.startsWith("--") || after.startsWith("--")) {
      throw new UsageError("--compare needs two result files: --compare A.json B.json");
    }
    return { kind: "compare", before, after };
  }
  const quick = args.includes("--quick");
  const sizes = structuredClone(quick ? QUICK : FULL);
  const plan: BenchPlan = {
    mode: quick ? "quick" : "full",
    scenarios: SCENARIOS,
    unsafeFastPostgres: false,
    profile: false,
    reuseConnections: false,
    keep: false,
    ingressBundle: true,
    ...sizes,
  };
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    const value = () => {
      const v = args[++k];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    const count = () => {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1)
        throw new UsageError(`${arg} must be a positive whole number (got "${v}")`);
      return Number(v);
    };
    switch (arg) {
      case "--quick":
        break;
      case "--only": {
        const ids = value()
          .toUpperCase()
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        const unknown = ids.filter((id) => !SCENARIOS.includes(id as ScenarioId));
        if (unknown.length) throw new UsageError(`--only takes A, B, C, D, E or F (got ${unknown.join(", ")})`);
        plan.scenarios = SCENARIOS.filter((s) => ids.includes(s));
        break;
      }
      case "--concurrency":
        plan.concurrency = count();
        break;
      case "--devices-a":
        plan.bootStorm.devices = count();
        break;
      case "--devices-b":
        plan.steadyState.devices = count();
        break;
      case "--seconds-b":
        plan.steadyState.seconds = count();
        plan.steadyState.fixedRateSeconds = plan.steadyState.seconds;
        break;
      case "--rate-b":
        plan.steadyState.fixedRate = count();
        plan.steadyState.fixedRateShare = undefined;
        break;
      case "--devices-c":
        plan.taskWork.devices = count();
        break;
      case "--devices-d":
        plan.deviceList.devices = count();
        break;
      case "--devices-f":
        plan.recovery.devices = count();
        break;
      case "--unsafe-fast":
        plan.unsafeFastPostgres = true;
        break;
      case "--profile":
        plan.profile = true;
        break;
      case "--reuse-connections":
        plan.reuseConnections = true;
        break;
      case "--keep":
        plan.keep = true;
        break;
      case "--ingress-tsx":
        plan.ingressBundle = false;
        break;
      case "--out":
        plan.out = value();
        break;
      default:
        throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return { kind: "run", plan };
}

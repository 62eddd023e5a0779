import { type Db, PrismaClient } from "@beacon/db";
import { listDevices } from "@beacon/domain";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { LatencyRecorder, type LatencySummary } from "../latency.ts";
import type { Usage } from "../processes/resources.ts";
import { seedRegisteredDevices } from "../seed.ts";
import { type BenchContext, measure } from "./context.ts";

/**
 * Scenario D, size: the database grown to N devices (seeded like B's, spread over customer domains, plus a
 * small domain of 20 long-silent devices), then the console's device list timed through Prisma from this
 * process, as the console would run it: listDevices() from @beacon/domain for the first page and for a
 * domain's page (the function the console's list uses; no tRPC devices router exists yet), and a serial-number
 * prefix search written the same way (Prisma findMany, startsWith) since listDevices has no search yet. Each
 * query's plan is captured with EXPLAIN (ANALYZE, BUFFERS), and the bytes each device costs are read from
 * pg_total_relation_size. Then, in this throwaway database only, the recommended indexes are created and the
 * queries timed again, as they are and in the recommended shape (the domain's tenant ids first).
 */

export interface DeviceListResult {
  devices: number;
  seedSeconds: number;
  samples: number;
  queries: Record<QueryName, QueryTiming>;
  /** The worst p95 of the queries above. */
  worstP95Ms: number;
  /** After creating RECOMMENDED_INDEXES (in the bench's database only). */
  withRecommendedIndexes: {
    indexes: string[];
    /** listDevices as it is. */
    queries: Record<QueryName, QueryTiming>;
    /** The domain pages in the recommended shape: the domain's tenant ids first, then `tenantId IN (...)`. */
    byTenantIds: Record<DomainPage, QueryTiming>;
    /** The worst p95 with indexes and shape both: what the recommendations would give. */
    worstP95Ms: number;
  };
  size: DatabaseSize;
  usage: Usage;
}

type DomainPage = "integratorPage" | "customerPage" | "smallCustomerPage";
type QueryName = "firstPage" | DomainPage | "serialPrefixSearch";

interface Query {
  description: string;
  run: (db: Db) => Promise<unknown[]>;
}

export interface QueryTiming {
  description: string;
  rows: number;
  latencyMs: LatencySummary;
  sql: string;
  plan: string[];
}

export interface DatabaseSize {
  tables: Record<string, { rows: number; tableBytes: number; indexBytes: number; totalBytes: number }>;
  totalBytes: number;
  bytesPerDevice: number;
  /** What one more periodic Inform adds for good (one DeviceEvent and one CwmpSession row, never purged). */
  bytesPerInform: number;
}

const PREFIX = "D";
const SMALL_PREFIX = "S";
const SMALL_DOMAIN_DEVICES = 20;
const PAGE = 50;
const DEVICE_TABLES = ["Device", "DeviceParameter", "DeviceEvent", "CwmpSession", "Task"];
const MIN_SAMPLES = 20;
const MAX_SECONDS_PER_QUERY = 20;
/**
 * The device list orders by "lastInformAt" DESC NULLS LAST, "serialNumber": an index in that order serves the
 * first page and, filtered while walking it, the pages of large domains; the per-tenant one in the same order
 * serves a small domain's page without a sort (the existing ("tenantId", "lastInformAt") is ascending with
 * NULLS LAST, which no backward scan turns into DESC NULLS LAST).
 */
const RECOMMENDED_INDEXES = [
  `CREATE INDEX "Device_lastInformAt_serialNumber_idx" ON "Device" ("lastInformAt" DESC NULLS LAST, "serialNumber")`,
  `CREATE INDEX "Device_tenantId_lastInformAt_serialNumber_idx" ON "Device" ("tenantId", "lastInformAt" DESC NULLS LAST, "serialNumber")`,
];
/** EXPLAIN lines are cut here: Prisma's IN lists of 50 ids make them long. */
const PLAN_LINE_LIMIT = 240;

export async function runDeviceList(context: BenchContext): Promise<DeviceListResult> {
  const { plan, pg, tenants } = context;
  const seedStarted = performance.now();
  const existing = await countDevices(pg.client);
  const missing = Math.max(0, plan.deviceList.devices - existing - SMALL_DOMAIN_DEVICES);
  context.progress(`D: ${existing} devices in the database, seeding ${missing + SMALL_DOMAIN_DEVICES} more`);
  const seed = { first: 0, connectionRequestBaseUrl: context.driver.connectionRequestBaseUrl };
  await seedRegisteredDevices(
    pg.client,
    { ...seed, prefix: PREFIX, count: missing, tenantIds: tenants.customers },
    (done) => context.progress(`D: ${done} / ${missing} seeded`),
  );
  // The worst case for an index in list order: a small domain whose devices have been silent for a month.
  await seedRegisteredDevices(pg.client, {
    ...seed,
    prefix: SMALL_PREFIX,
    count: SMALL_DOMAIN_DEVICES,
    tenantIds: [tenants.smallCustomer],
    informedSecondsAgo: 30 * 86_400,
  });
  context.progress("D: VACUUM ANALYZE");
  await pg.client.query(`VACUUM (ANALYZE) ${DEVICE_TABLES.map((t) => `"${t}"`).join(", ")}`);
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
  const devices = await countDevices(pg.client);

  const integrator = tenants.integrators[0]!;
  const customer = tenants.customers[1]!;
  const perIntegrator = tenants.customers.length / tenants.integrators.length;
  // Serials are D + 7 digits: a prefix of D + 4 digits matches 1,000 of them.
  const prefixes = Math.max(1, Math.ceil(missing / 1000));
  const randomPrefix = () => `${PREFIX}${String(Math.floor(Math.random() * prefixes)).padStart(4, "0")}`;
  const pages: Record<DomainPage, { tenantId: string; description: string }> = {
    integratorPage: {
      tenantId: integrator,
      description: `an integrator's domain (${perIntegrator + 1} customer domains below it)`,
    },
    customerPage: {
      tenantId: customer,
      description: `one customer domain (1/${tenants.customers.length} of the devices)`,
    },
    smallCustomerPage: {
      tenantId: tenants.smallCustomer,
      description: `a customer domain of ${SMALL_DOMAIN_DEVICES} devices silent for 30 days`,
    },
  };
  const queries: Record<QueryName, Query> = {
    firstPage: {
      description: `listDevices, no filter, ${PAGE} newest (a platform admin's first page)`,
      run: (db) => listDevices(db, { limit: PAGE }),
    },
    ...(Object.fromEntries(
      Object.entries(pages).map(([name, page]) => [
        name,
        {
          description: `listDevices of ${page.description}`,
          run: (db: Db) => listDevices(db, { tenantId: page.tenantId, limit: PAGE }),
        },
      ]),
    ) as Record<DomainPage, Query>),
    serialPrefixSearch: {
      description: "serial number prefix search (Prisma startsWith, listDevices' order and columns; ~1,000 matches)",
      run: (db) => searchBySerialPrefix(db, randomPrefix()),
    },
  };
  const byTenantIds = Object.fromEntries(
    Object.entries(pages).map(([name, page]) => [
      name,
      {
        description: `tenant ids first, then tenantId IN (...): ${page.description}`,
        run: (db: Db) => listByTenantIds(db, page.tenantId),
      },
    ]),
  ) as Record<DomainPage, Query>;

  context.progress(`D: timing the device list, up to ${plan.deviceList.samples} samples per query`);
  const measured = await measure(context, () => timeQueries(context, queries));
  context.progress("D: EXPLAIN ANALYZE and sizes");
  const shipped = describe(queries, measured.result, await explainQueries(pg, queries));
  const size = await databaseSize(pg.client, devices);

  // What the recommendations in bench/README.md would buy, measured rather than guessed.
  context.progress("D: again with the recommended indexes");
  for (const sql of RECOMMENDED_INDEXES) await pg.client.query(sql);
  await pg.client.query(`ANALYZE "Device"`);
  const indexed = describe(queries, await timeQueries(context, queries), await explainQueries(pg, queries));
  const reshaped = describe(
    byTenantIds,
    await timeQueries(context, byTenantIds),
    await explainQueries(pg, byTenantIds),
  );
  return {
    devices,
    seedSeconds,
    samples: plan.deviceList.samples,
    queries: shipped,
    worstP95Ms: worstP95(Object.values(shipped)),
    withRecommendedIndexes: {
      indexes: RECOMMENDED_INDEXES,
      queries: indexed,
      byTenantIds: reshaped,
      worstP95Ms: worstP95([indexed.firstPage, indexed.serialPrefixSearch, ...Object.values(reshaped)]),
    },
    size,
    usage: measured.usage,
  };
}

function describe<N extends string>(
  queries: Record<N, Query>,
  timings: Record<N, { latency: LatencySummary; rows: number }>,
  plans: Record<N, { sql: string; plan: string[] }>,
): Record<N, QueryTiming> {
  const out = {} as Record<N, QueryTiming>;
  for (const name of Object.keys(queries) as N[]) {
    out[name] = {
      description: queries[name].description,
      rows: timings[name].rows,
      latencyMs: timings[name].latency,
      ...plans[name],
    };
  }
  return out;
}

function worstP95(queries: QueryTiming[]): number {
  return Math.max(...queries.map((q) => q.latencyMs.p95));
}

/**
 * Up to `samples` runs of each query after 3 warm-up runs, but no more than MAX_SECONDS_PER_QUERY once
 * MIN_SAMPLES are in: a slow query at 1,000,000 devices would otherwise take minutes.
 */
async function timeQueries<N extends string>(
  context: BenchContext,
  queries: Record<N, Query>,
): Promise<Record<N, { latency: LatencySummary; rows: number }>> {
  const timings = {} as Record<N, { latency: LatencySummary; rows: number }>;
  for (const [name, query] of Object.entries(queries) as [N, Query][]) {
    for (let k = 0; k < 3; k++) await query.run(context.db);
    const recorder = new LatencyRecorder();
    let rows = 0;
    const stopAt = performance.now() + MAX_SECONDS_PER_QUERY * 1000;
    for (let k = 0; k < context.plan.deviceList.samples; k++) {
      if (k >= MIN_SAMPLES && performance.now() > stopAt) break;
      const t0 = performance.now();
      rows = (await query.run(context.db)).length;
      recorder.record(performance.now() - t0);
    }
    timings[name] = { latency: recorder.summary(), rows };
  }
  return timings;
}

const LIST_ORDER = [{ lastInformAt: { sort: "desc", nulls: "last" } }, { serialNumber: "asc" }] as const;
const LIST_COLUMNS = {
  id: true,
  oui: true,
  productClass: true,
  serialNumber: true,
  manufacturer: true,
  softwareVersion: true,
  lastInformAt: true,
  tenant: { select: { id: true, name: true } },
} as const;

/**
 * The recommended shape of a domain's page (a sketch for the domain engineer, not Beacon code): the domain's
 * tenant ids first, so that PostgreSQL sees which tenants it filters on and can choose between walking the
 * list-order index (large domains) and the per-tenant one (small domains).
 */
async function listByTenantIds(db: Db, tenantId: string) {
  const tenants = await db.tenant.findMany({ where: { ancestorIds: { has: tenantId } }, select: { id: true } });
  return db.device.findMany({
    where: { tenantId: { in: tenants.map((t) => t.id) } },
    orderBy: [...LIST_ORDER],
    take: PAGE,
    select: LIST_COLUMNS,
  });
}

/** The console's list order and columns (listDevices), filtered by a serial number prefix. */
function searchBySerialPrefix(db: Db, prefix: string) {
  return db.device.findMany({
    where: { serialNumber: { startsWith: prefix } },
    orderBy: [...LIST_ORDER],
    take: PAGE,
    select: LIST_COLUMNS,
  });
}

async function countDevices(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "Device"`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Runs each query once through a Prisma client that logs its SQL (created here only for that: the timings
 * above use the regular client), then EXPLAIN (ANALYZE, BUFFERS) of the last statement it sent, with its
 * parameters, as a prepared statement so that PostgreSQL plans it as it did for Prisma.
 */
async function explainQueries<N extends string>(
  pg: BenchContext["pg"],
  queries: Record<N, { run: (db: Db) => Promise<unknown[]> }>,
): Promise<Record<N, { sql: string; plan: string[] }>> {
  const logging = new PrismaClient({
    adapter: new PrismaPg({ connectionString: pg.url, max: 1 }),
    log: [{ emit: "event", level: "query" }],
  });
  const sent: { query: string; params: string }[] = [];
  logging.$on("query", (event) => sent.push({ query: event.query, params: event.params }));
  const out = {} as Record<N, { sql: string; plan: string[] }>;
  try {
    for (const [name, query] of Object.entries(queries) as [N, { run: (db: Db) => Promise<unknown[]> }][]) {
      sent.length = 0;
      await query.run(logging as unknown as Db);
      const plans: string[] = [];
      for (const statement of sent) {
        const params = JSON.parse(statement.params) as unknown[];
        await pg.client.query(`PREPARE bench_explain AS ${statement.query}`);
        try {
          const literals = params.map((p) => literal(pg.client, p));
          const args = literals.length ? `(${literals.join(", ")})` : "";
          const { rows } = await pg.client.query<{ "QUERY PLAN": string }>(
            `EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_explain${args}`,
          );
          plans.push(...rows.map((r) => cut(r["QUERY PLAN"], PLAN_LINE_LIMIT)));
        } finally {
          await pg.client.query("DEALLOCATE bench_explain");
        }
      }
      out[name] = { sql: sent.map((s) => cut(s.query, 2_000)).join(";\n"), plan: plans };
    }
  } finally {
    await logging.$disconnect();
  }
  return out;
}

function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}

function literal(client: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return client.escapeLiteral(`{${value.map((v) => JSON.stringify(String(v))).join(",")}}`);
  return client.escapeLiteral(String(value));
}

async function databaseSize(client: pg.Client, devices: number): Promise<DatabaseSize> {
  const { rows } = await client.query<{ name: string; rows: string; table: string; indexes: string; total: string }>(
    `SELECT c.relname AS name, greatest(c.reltuples, 0)::bigint::text AS rows,
       pg_table_size(c.oid)::text AS table, pg_indexes_size(c.oid)::text AS indexes,
       pg_total_relation_size(c.oid)::text AS total
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])`,
    [DEVICE_TABLES],
  );
  const tables: DatabaseSize["tables"] = {};
  for (const r of rows) {
    tables[r.name] = {
      rows: Number(r.rows),
      tableBytes: Number(r.table),
      indexBytes: Number(r.indexes),
      totalBytes: Number(r.total),
    };
  }
  const totalBytes = Object.values(tables).reduce((sum, t) => sum + t.totalBytes, 0);
  const perRow = (name: string) => {
    const t = tables[name];
    return t && t.rows > 0 ? t.totalBytes / t.rows : 0;
  };
  return {
    tables,
    totalBytes,
    bytesPerDevice: devices > 0 ? Math.round(totalBytes / devices) : 0,
    bytesPerInform: Math.round(perRow("DeviceEvent") + perRow("CwmpSession")),
  };
}

import { type Db, PrismaClient } from "@beacon/db";
import { DeviceQuery, findDevices, type TenantAccess, tenantScope } from "@beacon/domain";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { LatencyRecorder, type LatencySummary } from "../latency.ts";
import type { Usage } from "../processes/resources.ts";
import { seedRegisteredDevices } from "../seed.ts";
import { type BenchContext, measure } from "./context.ts";

/**
 * Scenario D, size: the database grown to N devices (seeded like B's, spread over customer domains, plus a
 * small domain of 20 long-silent devices), then the console's device list timed from this process exactly as the
 * console runs it: findDevices() from @beacon/domain (what tRPC devices.list and REST GET /devices call) through
 * the tenant-scoped client of a platform owner, page of 50, newest contact first, with the page's total count.
 * Timed: the first page, a domain's page at three sizes, a serial-number prefix search, and support's search for
 * three digits ("103") that matches inside serials, IP addresses and room numbers. Each query's plan is
 * captured with EXPLAIN (ANALYZE, BUFFERS), and the bytes each device costs are read from pg_total_relation_size.
 */

export interface DeviceListResult {
  devices: number;
  seedSeconds: number;
  samples: number;
  queries: Record<QueryName, QueryTiming>;
  /** The worst p95 of the queries above. */
  worstP95Ms: number;
  size: DatabaseSize;
  usage: Usage;
}

type DomainPage = "integratorPage" | "customerPage" | "smallCustomerPage";
type QueryName = "firstPage" | DomainPage | "serialPrefixSearch" | "substringSearch";

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
  /** What one more periodic Inform adds until housekeeping prunes it (one DeviceEvent and one CwmpSession row). */
  bytesPerInform: number;
}

const PREFIX = "D";
const SMALL_PREFIX = "S";
const SMALL_DOMAIN_DEVICES = 20;
const PAGE = 50;
const DEVICE_TABLES = ["Device", "DeviceParameter", "DeviceEvent", "CwmpSession", "Task"];
/** Hotel rooms per customer domain, each with one of the domain's devices: 101-120, 201-220, ... 501-520. */
const ROOMS_PER_DOMAIN = 100;
const ROOMS_PER_FLOOR = 20;
const MIN_SAMPLES = 20;
const MAX_SECONDS_PER_QUERY = 20;
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
  await seedRooms(context);
  context.progress("D: VACUUM ANALYZE");
  await pg.client.query(
    `VACUUM (ANALYZE) ${[...DEVICE_TABLES, "Room", "DeviceAssignment"].map((t) => `"${t}"`).join(", ")}`,
  );
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;
  const devices = await countDevices(pg.client);

  const integrator = tenants.integrators[0]!;
  const customer = tenants.customers[1]!;
  const perIntegrator = tenants.customers.length / tenants.integrators.length;
  // Serials are D + 7 digits: a prefix of D + 4 digits matches 1,000 of them.
  const prefixes = Math.max(1, Math.ceil(missing / 1000));
  const randomPrefix = () => `${PREFIX}${String(Math.floor(Math.random() * prefixes)).padStart(4, "0")}`;
  // A room number as a guest reads it out ("103", "405"): also three digits somewhere inside about 0.5 % of the
  // serials (D + 7 digits) and inside many 10.x.y.z addresses.
  const randomRoom = () =>
    `${1 + Math.floor(Math.random() * 5)}${String(1 + Math.floor(Math.random() * 20)).padStart(2, "0")}`;
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
  const access: TenantAccess = {
    userId: "bench",
    actor: { label: "bench" },
    memberships: [{ tenantId: tenants.platformId, role: "owner" }],
  };
  const page = (db: Db, query: Partial<DeviceQuery>) =>
    findDevices(tenantScope(db, access), access, DeviceQuery.parse({ pageSize: PAGE, ...query })).then((p) => p.rows);
  const queries: Record<QueryName, Query> = {
    firstPage: {
      description: `findDevices, no filter, ${PAGE} newest and the total (a platform owner's first page)`,
      run: (db) => page(db, {}),
    },
    ...(Object.fromEntries(
      Object.entries(pages).map(([name, domain]) => [
        name,
        {
          description: `findDevices of ${domain.description}`,
          run: (db: Db) => page(db, { tenantId: domain.tenantId }),
        },
      ]),
    ) as Record<DomainPage, Query>),
    serialPrefixSearch: {
      description: "findDevices searching a serial number prefix (~1,000 matches; the console's search box)",
      run: (db) => page(db, { search: randomPrefix() }),
    },
    substringSearch: {
      description:
        'findDevices searching three digits ("103"): inside serials and IP addresses, and room numbers (one room per domain)',
      run: (db) => page(db, { search: randomRoom() }),
    },
  };

  context.progress(`D: timing the device list, up to ${plan.deviceList.samples} samples per query`);
  const measured = await measure(context, () => timeQueries(context, queries));
  context.progress("D: EXPLAIN ANALYZE and sizes");
  const shipped = describe(queries, measured.result, await explainQueries(pg, queries));
  const size = await databaseSize(pg.client, devices);

  return {
    devices,
    seedSeconds,
    samples: plan.deviceList.samples,
    queries: shipped,
    worstP95Ms: worstP95(Object.values(shipped)),
    size,
    usage: measured.usage,
  };
}

/**
 * Hotel rooms in each customer domain, each provisioned with one of the domain's devices (the first by serial), so
 * that support's search follows room numbers to devices as it does in a hotel. Done once per database.
 */
async function seedRooms(context: BenchContext): Promise<void> {
  const client = context.pg.client;
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "Room"`);
  if (Number(rows[0]?.n ?? 0) > 0) return;
  context.progress(`D: ${ROOMS_PER_DOMAIN} rooms per customer domain`);
  const number = (k: string) =>
    `((1 + (${k} - 1) / ${ROOMS_PER_FLOOR}) * 100 + 1 + (${k} - 1) % ${ROOMS_PER_FLOOR})::text`;
  await client.query(
    `WITH chosen AS (
       SELECT id, "tenantId", k FROM (
         SELECT d.id, d."tenantId", row_number() OVER (PARTITION BY d."tenantId" ORDER BY d."serialNumber") AS k
         FROM "Device" d WHERE d."tenantId" = ANY($1::uuid[])
       ) ranked WHERE k <= $2
     ), rooms AS (
       INSERT INTO "Room" ("id", "tenantId", "number", "updatedAt")
       SELECT gen_random_uuid(), "tenantId", ${number("k")}, now() FROM chosen
       RETURNING "id", "tenantId", "number"
     )
     INSERT INTO "DeviceAssignment" ("id", "tenantId", "roomId", "deviceId", "state", "provisionedAt")
     SELECT gen_random_uuid(), r."tenantId", r."id", c."id", 'provisioned', now()
     FROM rooms r JOIN chosen c ON c."tenantId" = r."tenantId" AND ${number("c.k")} = r."number"`,
    [context.tenants.customers, ROOMS_PER_DOMAIN],
  );
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

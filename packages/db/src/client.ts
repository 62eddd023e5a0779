import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { type Prisma, PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;

export interface DbOptions {
  /** Most connections this process opens. */
  maxConnections?: number;
  /** Name shown in pg_stat_activity, e.g. "beacon-ingress". */
  applicationName?: string;
  /** How long an idle pooled connection stays open; reconnecting costs a SCRAM round trip. */
  idleTimeoutMillis?: number;
}

/** The one place that opens Prisma connections to Beacon's database. */
export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? "beacon",
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 60_000,
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/** The pool under each client createDb made: Prisma and the hot path share its connections. */
const pools = new WeakMap<object, pg.Pool>();

/** Statement texts are few (a CWMP session's handful, with a variant or two each); past this, stop naming new ones. */
const MAX_NAMED_STATEMENTS = 256;
const statementNames = new Map<string, string>();

/**
 * Runs one statement of the CWMP hot path on pg directly, as a named prepared statement: PostgreSQL plans it once
 * per connection instead of at every call, and Prisma's query engine (a fifth of the ingress's CPU per session when
 * these went through $queryRaw) is skipped. Values go to pg as they are; rows come back with pg's own types
 * (timestamptz as Date, bigint as string, json parsed). A client that createDb did not make (a transaction's, an
 * extended one) runs the same SQL through $queryRaw.
 */
export async function queryRows<T>(db: Pick<Prisma.TransactionClient, "$queryRaw">, sql: Prisma.Sql): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<T[]>(sql);
  const result = await pool.query<T & pg.QueryResultRow>({
    name: statementName(sql.text),
    text: sql.text,
    values: sql.values as unknown[],
  });
  return result.rows;
}

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known || statementNames.size >= MAX_NAMED_STATEMENTS) return known;
  const name = `beacon_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
  statementNames.set(text, name);
  return name;
}

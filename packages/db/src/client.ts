import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

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
  const adapter = new PrismaPg({
    connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? "beacon",
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 60_000,
  });
  return new PrismaClient({ adapter });
}

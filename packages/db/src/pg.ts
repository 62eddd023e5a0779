import pg from "pg";

/** A short-lived plain pg client, for work below Prisma (migrations, health, test databases). */
export async function withPgClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export type DatabaseState = { ok: true; latencyMs: number; serverVersion: string } | { ok: false; error: string };

/** Answers whether the database takes queries, for health endpoints and `beacon doctor`. */
export async function checkDatabase(connectionString: string): Promise<DatabaseState> {
  const started = performance.now();
  try {
    const version = await withPgClient(connectionString, async (client) => {
      const result = await client.query<{ server_version: string }>("SHOW server_version");
      return result.rows[0]?.server_version ?? "unknown";
    });
    return { ok: true, latencyMs: Math.round(performance.now() - started), serverVersion: version };
  } catch (error) {
    return { ok: false, error: describePgError(error) };
  }
}

/** One sentence for a connection failure, never a stack trace. */
export function describePgError(error: unknown): string {
  const err = error as { code?: string; message?: string; address?: string; port?: number };
  switch (err?.code) {
    case "ECONNREFUSED":
      return `nothing accepts connections at ${err.address ?? "the host"}:${err.port ?? "?"} (is PostgreSQL running?)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the database host cannot be resolved (${err.message ?? ""})`;
    case "ETIMEDOUT":
      return "the database did not answer within 5 seconds";
    case "28P01":
    case "28000":
      return `the database refused the credentials (${err.message ?? ""})`;
    case "3D000":
      return `the database does not exist (${err.message ?? ""})`;
    default:
      return err?.message || String(error);
  }
}

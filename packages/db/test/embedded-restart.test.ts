import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { databaseAnswers, isDatabaseUnavailable } from "../src/availability.ts";
import { createDb } from "../src/client.ts";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "../src/embedded.ts";

describe("the embedded PostgreSQL after kill -9", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "beacon-pg-crash-"));
  let server: EmbeddedPostgresHandle | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts again on the same port after crash recovery, and a Prisma client made before reconnects by itself", async () => {
    server = await startEmbeddedPostgres({ dataDir: dir });
    const port = server.port;
    const db = createDb(server.connectionString(), { maxConnections: 3 });
    try {
      await db.$executeRawUnsafe("CREATE TABLE kept (n int)");
      await db.$executeRawUnsafe("INSERT INTO kept VALUES (1), (2), (3)");

      process.kill(server.pid, "SIGKILL");
      expect(await server.exited).toEqual({ code: null, signal: "SIGKILL" });
      const during = await db.$queryRaw`SELECT 1`.then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(during)).toBe(true);
      expect(await databaseAnswers(db)).toBe(false);

      // Backends orphaned by the dead postmaster may hold its shared memory for a moment: start is retried.
      for (let attempt = 0; ; attempt++) {
        try {
          server = await startEmbeddedPostgres({ dataDir: dir, port });
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      expect(server.port).toBe(port);
      expect(await databaseAnswers(db)).toBe(true);
      const rows = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM kept`;
      expect(rows[0]?.n).toBe(3);
    } finally {
      await db.$disconnect();
    }
  });
});

import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { ensurePlatformTenant } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/repo.ts";

const beacon = join(repoRoot, "bin", "beacon.mjs");

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [beacon, ...args],
      { cwd: repoRoot, env: { ...process.env, BEACON_DATA_DIR: "/nonexistent-beacon-test", ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function expectOneLineError(result: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe("beacon command line", { timeout: 180_000 }, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("lists registered devices as JSON with id, oui, productClass, serialNumber, tenant and lastInformAt", async () => {
    const platform = await ensurePlatformTenant(database.db);
    const lastInformAt = new Date("2026-11-24T10:00:00.000Z");
    const device = await database.db.device.create({
      data: {
        tenantId: platform.id,
        oui: "00259E",
        productClass: "EG8145V5",
        serialNumber: "48575443A1B2C3D4",
        lastInformAt,
      },
    });
    const result = await run(["device", "list", "--json"], { DATABASE_URL: database.url });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout);
    expect(rows).toEqual([
      expect.objectContaining({
        id: device.id,
        oui: "00259E",
        productClass: "EG8145V5",
        serialNumber: "48575443A1B2C3D4",
        tenant: "Platform",
        lastInformAt: lastInformAt.toISOString(),
      }),
    ]);
  });

  it("creates and lists tenants, and creates a user who can then have the password reset", async () => {
    const created = await run(["tenant", "create", "Hotel Mira", "--kind", "hotel", "--json"], {
      DATABASE_URL: database.url,
    });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: "Hotel Mira", kind: "hotel" });
    const list = await run(["tenant", "list"], { DATABASE_URL: database.url });
    expect(list.stdout).toContain("Platform / Hotel Mira");
    const user = await run(
      [
        "user",
        "create",
        "anna@example.com",
        "--tenant",
        "Hotel Mira",
        "--role",
        "operator",
        "--password",
        "a-long-password",
      ],
      {
        DATABASE_URL: database.url,
      },
    );
    expect(user.stdout).toContain("created anna@example.com as operator of Hotel Mira");
    const reset = await run(["user", "reset-password", "anna@example.com", "--password", "another-long-password"], {
      DATABASE_URL: database.url,
    });
    expect(reset.code).toBe(0);
    const tooShort = await run(["user", "reset-password", "anna@example.com", "--password", "short"], {
      DATABASE_URL: database.url,
    });
    expectOneLineError(tooShort, /at least 10 characters/);
  });

  it("creates an API token shown once, and queues and lists a device's tasks, each with --json", async () => {
    const db = database.db;
    const platform = await ensurePlatformTenant(db);
    const hotel = await db.tenant.create({
      data: { name: "Hotel Tasks", kind: "hotel", parentId: platform.id, ancestorIds: [platform.id] },
    });
    await db.tenant.update({ where: { id: hotel.id }, data: { ancestorIds: [platform.id, hotel.id] } });
    for (const [email, role] of [
      ["owner@tasks.example.com", "owner"],
      ["viewer@tasks.example.com", "viewer"],
    ] as const) {
      await db.user.create({
        data: { email, passwordHash: "scrypt$unused", memberships: { create: { tenantId: hotel.id, role } } },
      });
    }
    await db.device.create({
      data: { tenantId: hotel.id, oui: "00259E", productClass: "EG8145V5", serialNumber: "TASKS0001" },
    });
    const env = { DATABASE_URL: database.url };

    const token = await run(
      [
        "token",
        "create",
        "--tenant",
        hotel.id,
        "--name",
        "PMS",
        "--role",
        "support",
        "--as",
        "owner@tasks.example.com",
        "--json",
      ],
      env,
    );
    expect(token.stderr).toBe("");
    const created = JSON.parse(token.stdout);
    expect(created).toMatchObject({ name: "PMS", role: "support", domain: "Hotel Tasks" });
    expect(created.token).toMatch(/^bcn_[0-9a-f]{8}_/);
    const stored = await db.apiToken.findUniqueOrThrow({ where: { prefix: created.prefix } });
    expect(JSON.stringify(stored)).not.toContain(created.token);
    expectOneLineError(
      await run(
        ["token", "create", "--tenant", hotel.id, "--name", "X", "--role", "owner", "--as", "viewer@tasks.example.com"],
        env,
      ),
      /only an owner of this domain may create API tokens/,
    );

    const queued = await run(["task", "create", "TASKS0001", "--kind", "reboot", "--json"], env);
    expect(queued.stderr).toBe("");
    const task = JSON.parse(queued.stdout);
    expect(task).toMatchObject({ kind: "reboot" });
    const listed = await run(["task", "list", "TASKS0001", "--json"], env);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: task.id, summary: "Reboot", createdBy: "cli" }),
    ]);
    expectOneLineError(
      await run(["task", "create", "TASKS0001", "--kind", "reboot", "--as", "viewer@tasks.example.com"], env),
      /does not allow rebooting devices/,
    );
    expectOneLineError(await run(["task", "create", "NOSUCH", "--kind", "reboot"], env), /device NOSUCH not found/i);
    expectOneLineError(await run(["task", "create", "TASKS0001", "--kind", "explode"], env), /--kind must be one of/);
  });

  it("imports rooms from a CSV file, a dry run first, with --json", async () => {
    const db = database.db;
    const platform = await ensurePlatformTenant(db);
    const site = await db.tenant.create({
      data: { name: "Hotel Import", kind: "hotel", parentId: platform.id, ancestorIds: [platform.id] },
    });
    await db.tenant.update({ where: { id: site.id }, data: { ancestorIds: [platform.id, site.id] } });
    const file = join(await mkdtemp(join(tmpdir(), "beacon-rooms-")), "rooms.csv");
    await writeFile(file, "room,floor,serial\n101,1,IMPORT0101\n102,1,\n,1,BROKEN\n");
    const env = { DATABASE_URL: database.url };

    const dry = await run(["room", "import", file, "--site", "Hotel Import", "--dry-run", "--json"], env);
    expect(dry.stderr).toBe("");
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, accepted: 2, rejected: 1, newRooms: 2 });
    expect(await db.room.count({ where: { tenantId: site.id } })).toBe(0);

    const real = await run(["room", "import", file, "--site", site.id], env);
    expect(real.code).toBe(2);
    expect(real.stdout).toMatch(/^line 4 /m);
    expect(real.stdout).toContain("2 rows accepted, 1 rejected; made 2 rooms and 1 floors; 1 devices pre-registered");
    expect(await db.room.count({ where: { tenantId: site.id } })).toBe(2);
  });

  it("says which variable is wrong for a non-numeric port", async () => {
    expectOneLineError(await run(["start"], { CWMP_PORT: "seven" }), /CWMP_PORT must be a port number/);
    expectOneLineError(await run(["start"], { CONSOLE_PORT: "99999" }), /CONSOLE_PORT must be a port number/);
  });

  it("says what is wrong with a malformed or unreachable DATABASE_URL", async () => {
    expectOneLineError(await run(["device", "list"], { DATABASE_URL: "not a url" }), /DATABASE_URL is not a URL/);
    expectOneLineError(
      await run(["device", "list"], { DATABASE_URL: "mysql://localhost/x" }),
      /must start with postgresql/,
    );
    expectOneLineError(
      await run(["start"], {
        DATABASE_URL: "postgresql://beacon:x@127.0.0.1:1/beacon",
        CONSOLE_PORT: "3391",
        CWMP_PORT: "7691",
      }),
      /cannot use DATABASE_URL: nothing accepts connections/,
    );
  });

  describe("with a port taken", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("refuses to start and names the port and its variable", async () => {
      const result = await run(["start"], {
        CONSOLE_PORT: String(port),
        CWMP_PORT: "7692",
        DATABASE_URL: database.url,
      });
      expectOneLineError(result, new RegExp(`port ${port} is already in use \\(CONSOLE_PORT\\)`));
    });
  });
});

import { parseArgs } from "node:util";
import type { Role, TenantKind } from "@beacon/db";
import {
  createTenant,
  createUser,
  ensurePlatformTenant,
  findTenant,
  listDevices,
  listTenants,
  resetPassword,
} from "@beacon/domain";
import { type BeaconConfig, ConfigProblem } from "../config.ts";
import { withDb } from "../database.ts";

const CLI_ACTOR = { label: "cli" };
const TENANT_KINDS = ["integrator", "hotel", "operator", "business", "site"] as const;
const ROLES = ["owner", "operator", "support", "viewer"] as const;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T {
  if (value && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigProblem(`${what} must be one of ${allowed.join(", ")}${value ? `, not "${value}"` : ""}`);
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new ConfigProblem(`missing ${what}`);
  return value;
}

export async function tenantCommand(config: BeaconConfig, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      kind: { type: "string" },
      parent: { type: "string" },
      "time-zone": { type: "string" },
      json: { type: "boolean" },
    },
  });
  return withDb(config, async (db) => {
    if (verb === "create") {
      const name = required(
        positionals[0],
        "the domain's name: beacon tenant create <name> --kind hotel [--parent <id|name>]",
      );
      const kind = oneOf<Exclude<TenantKind, "platform">>(values.kind, TENANT_KINDS, "--kind");
      const parent = values.parent ? await findTenant(db, values.parent) : await ensurePlatformTenant(db);
      const tenant = await createTenant(db, { name, kind, parentId: parent.id, timeZone: values["time-zone"] });
      print(values.json, tenant, `created ${tenant.kind} ${tenant.name} (${tenant.id}) below ${parent.name}`);
      return 0;
    }
    if (verb === "list") {
      await ensurePlatformTenant(db);
      const tenants = await listTenants(db);
      if (values.json) print(true, tenants, "");
      else for (const t of tenants) process.stdout.write(`${t.id}  ${t.kind.padEnd(10)}  ${t.path}\n`);
      return 0;
    }
    throw new ConfigProblem(
      "usage: beacon tenant create <name> --kind <kind> [--parent <id|name>] | beacon tenant list [--json]",
    );
  });
}

export async function userCommand(config: BeaconConfig, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      tenant: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      json: { type: "boolean" },
    },
  });
  return withDb(config, async (db) => {
    const email = required(positionals[0], "the user's email");
    const password = values.password ?? process.env.BEACON_USER_PASSWORD;
    if (verb === "create") {
      const tenant = values.tenant ? await findTenant(db, values.tenant) : await ensurePlatformTenant(db);
      const role = oneOf<Role>(values.role ?? "viewer", ROLES, "--role");
      const user = await createUser(
        db,
        {
          email,
          name: values.name,
          password: required(password, "--password (or BEACON_USER_PASSWORD)"),
          tenantId: tenant.id,
          role,
        },
        CLI_ACTOR,
      );
      print(
        values.json,
        { id: user.id, email: user.email, tenant: tenant.name, role },
        `created ${user.email} as ${role} of ${tenant.name}`,
      );
      return 0;
    }
    if (verb === "reset-password") {
      await resetPassword(db, email, required(password, "--password (or BEACON_USER_PASSWORD)"), CLI_ACTOR);
      print(values.json, { email }, `password of ${email} reset`);
      return 0;
    }
    throw new ConfigProblem(
      "usage: beacon user create <email> --password <pw> [--tenant <id|name>] [--role owner|operator|support|viewer] | beacon user reset-password <email> --password <pw>",
    );
  });
}

export async function deviceCommand(config: BeaconConfig, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { tenant: { type: "string" }, json: { type: "boolean" }, limit: { type: "string" } },
  });
  if (verb !== "list") throw new ConfigProblem("usage: beacon device list [--tenant <id|name>] [--json] [--limit N]");
  return withDb(config, async (db) => {
    const tenant = values.tenant ? await findTenant(db, values.tenant) : undefined;
    const limit = values.limit ? Number(values.limit) : undefined;
    const devices = await listDevices(db, { tenantId: tenant?.id, limit });
    if (values.json) {
      const rows = devices.map((d) => ({
        id: d.id,
        oui: d.oui,
        productClass: d.productClass,
        serialNumber: d.serialNumber,
        manufacturer: d.manufacturer,
        softwareVersion: d.softwareVersion,
        tenant: d.tenant.name,
        tenantId: d.tenant.id,
        lastInformAt: d.lastInformAt?.toISOString() ?? null,
      }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else if (devices.length === 0) {
      process.stdout.write("no devices yet: point a CPE's ManagementServer.URL at Beacon's CWMP port\n");
    } else {
      for (const d of devices) {
        process.stdout.write(
          `${d.oui}-${d.productClass}-${d.serialNumber}  ${d.tenant.name}  ${d.lastInformAt?.toISOString() ?? "never"}\n`,
        );
      }
    }
    return 0;
  });
}

function print(json: boolean | undefined, value: unknown, text: string) {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Db } from "@beacon/db";
import {
  createApiToken,
  createTenancy,
  DeviceAction,
  ensurePlatformTenant,
  findTenant,
  importRoomsCsv,
  listDeviceTasks,
  loadTenantAccess,
  NotFound,
  queueDeviceTask,
  ROLES,
  type TenantAccess,
  tenantScope,
} from "@beacon/domain";
import { type BeaconConfig, ConfigProblem } from "../config.ts";
import { withDb } from "../database.ts";

/**
 * What operators script most, as thin calls of the domain functions the API's procedures call: tasks on a device
 * and API tokens. The command line runs on Beacon's own machine with its database, so it acts for the platform
 * ("cli") unless told to act as a person (--as <email>), whose role then limits it as in the console.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function accessOf(db: Db, email: string | undefined): Promise<TenantAccess> {
  if (email) {
    const user = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
    const access = user ? await loadTenantAccess(db, user.id) : null;
    if (!access) throw new ConfigProblem(`no enabled user ${email}`);
    return access;
  }
  const platform = await ensurePlatformTenant(db);
  return { userId: "cli", actor: { label: "cli" }, memberships: [{ tenantId: platform.id, role: "owner" }] };
}

/** A device named by its id or its serial number, among those the access reaches. */
async function deviceIdOf(db: Db, access: TenantAccess, device: string | undefined): Promise<string> {
  if (!device) throw new ConfigProblem("name the device by its id or serial number");
  const found = await tenantScope(db, access).device.findMany({
    where: UUID.test(device) ? { id: device } : { serialNumber: device },
    select: { id: true },
    take: 2,
  });
  if (found.length > 1) throw new ConfigProblem(`several devices have the serial number ${device}: name it by its id`);
  if (!found[0]) throw new NotFound(`device ${device}`);
  return found[0].id;
}

function actionOf(values: { kind?: string; path?: string; set?: string[] }) {
  const kind = values.kind;
  if (kind === "setParameterValues" || values.set?.length) {
    const pairs = (values.set ?? []).map((pair) => {
      const at = pair.indexOf("=");
      if (at < 1) throw new ConfigProblem(`--set takes name=value, not "${pair}"`);
      return { name: pair.slice(0, at), value: pair.slice(at + 1) };
    });
    return DeviceAction.parse({ kind: "setParameterValues", values: pairs });
  }
  const parsed = DeviceAction.safeParse({ kind, ...(values.path !== undefined ? { path: values.path } : {}) });
  if (!parsed.success) {
    throw new ConfigProblem(
      `--kind must be one of reboot, factoryReset, refresh, readNetworkMap (or --set name=value ...)${kind ? `, not "${kind}"` : ""}`,
    );
  }
  return parsed.data;
}

const TASK_USAGE =
  "usage: beacon task create <device id|serial> --kind reboot|factoryReset|refresh|readNetworkMap [--path P] [--set name=value ...] [--as <email>] [--json] | beacon task list <device id|serial> [--limit N] [--as <email>] [--json]";

export async function taskCommand(config: BeaconConfig, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      kind: { type: "string" },
      path: { type: "string" },
      set: { type: "string", multiple: true },
      limit: { type: "string" },
      as: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (verb !== "create" && verb !== "list") throw new ConfigProblem(TASK_USAGE);
  return withDb(config, async (db) => {
    const access = await accessOf(db, values.as);
    const deviceId = await deviceIdOf(db, access, positionals[0]);
    if (verb === "create") {
      const action = actionOf(values);
      const tenancy = createTenancy(db);
      const task = await queueDeviceTask(tenancy.scope(access), access, { deviceId, action });
      // The device is asked to connect now; if it cannot be reached the task waits for its next Inform.
      const wake = await tenancy.wakeDevice(access, deviceId, task.id).catch(() => null);
      const answer = { id: task.id, deviceId, kind: action.kind, wake: wake ?? null };
      print(values.json, answer, `queued ${action.kind} ${task.id} for device ${deviceId}`);
      return 0;
    }
    const limit = values.limit ? Number(values.limit) : undefined;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
      throw new ConfigProblem("--limit takes a number");
    const tasks = await listDeviceTasks(tenantScope(db, access), access, { deviceId, limit });
    if (values.json) print(true, tasks, "");
    else if (tasks.length === 0) process.stdout.write("no tasks for this device yet\n");
    else {
      for (const t of tasks) {
        process.stdout.write(`${t.id}  ${t.state.padEnd(9)}  ${t.createdAt.toISOString()}  ${t.summary}\n`);
      }
    }
    return 0;
  });
}

const TOKEN_USAGE =
  "usage: beacon token create --tenant <id|name> --name <name> --role owner|operator|support|viewer --as <owner's email> [--days N] [--json]";

export async function tokenCommand(config: BeaconConfig, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      tenant: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      days: { type: "string", default: "90" },
      as: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (verb !== "create") throw new ConfigProblem(TOKEN_USAGE);
  // A token acts with its creator's role at most and stops when they leave: it needs a person behind it.
  if (!values.as || !values.tenant || !values.name || !values.role) throw new ConfigProblem(TOKEN_USAGE);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1) throw new ConfigProblem("--days takes a whole number of days");
  if (!(ROLES as readonly string[]).includes(values.role)) throw new ConfigProblem(TOKEN_USAGE);
  return withDb(config, async (db) => {
    const access = await accessOf(db, values.as);
    const tenant = await findTenant(db, values.tenant!);
    const { token, apiToken } = await createApiToken(tenantScope(db, access), access, {
      tenantId: tenant.id,
      name: values.name!,
      role: values.role as (typeof ROLES)[number],
      expiresAt: new Date(Date.now() + days * 86_400_000),
    });
    const answer = {
      token,
      prefix: apiToken.prefix,
      name: apiToken.name,
      role: apiToken.role,
      domain: tenant.name,
      expiresAt: apiToken.expiresAt.toISOString(),
    };
    print(
      values.json,
      answer,
      `${token}\n\nThe API token "${apiToken.name}" (${apiToken.role} of ${tenant.name}, until ${answer.expiresAt}). Store it now: Beacon does not show it again.`,
    );
    return 0;
  });
}

const ROOM_USAGE =
  "usage: beacon room import <file.csv> --site <id|name> [--dry-run] [--as <email>] [--json]  (columns: room, floor, building, name, serial, mac, loid, templates, replace; exits 2 when rows were rejected)";

/** Rooms and their devices from a spreadsheet, as the console's import does; --dry-run reports and changes nothing. */
export async function roomCommand(config: BeaconConfig, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      site: { type: "string" },
      "dry-run": { type: "boolean" },
      as: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (verb !== "import" || !positionals[0] || !values.site) throw new ConfigProblem(ROOM_USAGE);
  const csv = await readFile(positionals[0], "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new ConfigProblem(`cannot read ${positionals[0]}: ${error.code ?? error.message}`);
  });
  return withDb(config, async (db) => {
    const access = await accessOf(db, values.as);
    const site = await findTenant(db, values.site!);
    const dryRun = Boolean(values["dry-run"]);
    const report = await createTenancy(db).withinReach(access, { domainId: site.id }, "provisioning.manage", (raw) =>
      importRoomsCsv(raw, { siteId: site.id, csv, dryRun, actor: access.actor }),
    );
    if (values.json) {
      print(true, report, "");
    } else {
      for (const row of report.rows.filter((r) => !r.ok)) {
        process.stdout.write(`line ${row.line} (room ${row.room}): ${row.reasons.join("; ")}\n`);
      }
      const verb = dryRun ? "would make" : "made";
      process.stdout.write(
        `${report.accepted} rows accepted, ${report.rejected} rejected; ${verb} ${report.newRooms} rooms and ${report.newFloors} floors; ${report.devicesRegistered} devices pre-registered${dryRun ? " (dry run: nothing changed)" : ""}\n`,
      );
    }
    return report.rejected > 0 && !dryRun ? 2 : 0;
  });
}

function print(json: boolean | undefined, value: unknown, text: string) {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

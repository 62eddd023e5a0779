import { randomUUID } from "node:crypto";
import { CWMP_REALM } from "@beacon/domain";
import type pg from "pg";
import {
  DATA_MODEL_ROOT,
  deviceInfo,
  informParameterTemplate,
  MANUFACTURER,
  OUI,
  PRODUCT_CLASS,
  parameterNames,
  sqlIdentity,
} from "./fleet-identity.ts";

/**
 * Registered devices straight into PostgreSQL, a batch per statement (generate_series), as Beacon would hold
 * them after their first sessions: the device row with its own CWMP credentials (HA1 hashes, realm "Beacon
 * CWMP") and connection-request credentials, the standard Inform parameters, the events of the last Inform
 * and its ended CwmpSession.
 */

export interface TenantTree {
  platformId: string;
  integrators: string[];
  /** Customer domains below the integrators; devices are spread over these. */
  customers: string[];
  /** One more customer below the first integrator, which gets only a handful of devices (scenario D). */
  smallCustomer: string;
}

/** Integrators below the platform, customers below each, with ancestorIds as the domain code keeps them. */
export async function seedTenants(
  client: pg.Client,
  platformId: string,
  shape: { integrators: number; customersPerIntegrator: number },
): Promise<TenantTree> {
  const rows: { id: string; name: string; kind: string; parentId: string; ancestors: string[] }[] = [];
  const integrators: string[] = [];
  const customers: string[] = [];
  for (let i = 1; i <= shape.integrators; i++) {
    const integrator = randomUUID();
    integrators.push(integrator);
    rows.push({
      id: integrator,
      name: `Bench Integrator ${i}`,
      kind: "integrator",
      parentId: platformId,
      ancestors: [platformId, integrator],
    });
    for (let c = 1; c <= shape.customersPerIntegrator; c++) {
      const customer = randomUUID();
      customers.push(customer);
      rows.push({
        id: customer,
        name: `Bench Operator ${i}.${c}`,
        kind: "operator",
        parentId: integrator,
        ancestors: [platformId, integrator, customer],
      });
    }
  }
  const smallCustomer = randomUUID();
  rows.push({
    id: smallCustomer,
    name: "Bench Small Operator",
    kind: "operator",
    parentId: integrators[0]!,
    ancestors: [platformId, integrators[0]!, smallCustomer],
  });
  await client.query(
    `INSERT INTO "Tenant" ("id", "name", "kind", "parentId", "ancestorIds", "updatedAt")
     SELECT r.id::uuid, r.name, r.kind::"TenantKind", r."parentId"::uuid,
       ARRAY(SELECT jsonb_array_elements_text(r.ancestors)::uuid), now()
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, kind text, "parentId" text, ancestors jsonb)`,
    [JSON.stringify(rows)],
  );
  return { platformId, integrators, customers, smallCustomer };
}

export interface DeviceBatch {
  prefix: string;
  first: number;
  count: number;
  /** Devices go to these tenants in turn. */
  tenantIds: readonly string[];
  connectionRequestBaseUrl: string;
  /** Their last Inform was this long ago (plus up to an hour's spread); default 0. */
  informedSecondsAgo?: number;
}

const BATCH = 50_000;

/** Seeds `count` devices; calls `progress` after each batch. */
export async function seedRegisteredDevices(
  client: pg.Client,
  batch: DeviceBatch,
  progress?: (done: number) => void,
): Promise<void> {
  for (let from = batch.first; from < batch.first + batch.count; from += BATCH) {
    const to = Math.min(batch.first + batch.count, from + BATCH) - 1;
    await seedDeviceRange(client, batch, from, to);
    progress?.(to - batch.first + 1);
  }
}

async function seedDeviceRange(client: pg.Client, batch: DeviceBatch, from: number, to: number): Promise<void> {
  const serial = "s.serial";
  // Since migration 20261124123000 an ended session has "live" NULL (one live session per device).
  const hasLive = (await columnsOf(client, "CwmpSession")).includes("live");
  const template = informParameterTemplate();
  const ha1Input = `${sqlIdentity.cwmpUsername(serial)} || ':' || $realm || ':' || ${sqlIdentity.cwmpPassword(serial)}`;
  const sql = `
    WITH d AS (
      INSERT INTO "Device" AS dev ("id", "tenantId", "oui", "productClass", "serialNumber", "manufacturer", "modelName",
        "softwareVersion", "hardwareVersion", "dataModelRoot", "connectionRequestUrl", "externalIp",
        "periodicInformInterval", "cwmpUsername", "cwmpHa1Md5", "cwmpHa1Sha256", "connReqUsername", "connReqPassword",
        "firstInformAt", "lastInformAt", "lastBootAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), ($tenants::uuid[])[1 + (i % cardinality($tenants::uuid[]))], $oui, $productClass,
        ${serial}, $manufacturer, $modelName, $softwareVersion, $hardwareVersion, $root,
        $crBase || '/cr/' || ${serial},
        '10.' || ((i >> 16) & 255) || '.' || ((i >> 8) & 255) || '.' || (i & 255),
        3600, ${sqlIdentity.cwmpUsername(serial)}, md5(${ha1Input}),
        encode(sha256(convert_to(${ha1Input}, 'UTF8')), 'hex'),
        ${sqlIdentity.connReqUsername(serial)}, ${sqlIdentity.connReqPassword(serial)},
        now() - interval '90 days', now() - ($informedAgo::int + (i::bigint * 7919) % 3600) * interval '1 second', now() - interval '3 days',
        now() - interval '90 days', now()
      FROM generate_series($from::int, $to::int) AS i
      CROSS JOIN LATERAL (SELECT ${sqlIdentity.serialNumber(batch.prefix, "i")} AS serial) s
      RETURNING dev."id", dev."tenantId", dev."serialNumber", dev."connectionRequestUrl", dev."externalIp", dev."lastInformAt"
    ), parameters AS (
      INSERT INTO "DeviceParameter" ("deviceId", "name", "value", "type", "isObject", "updatedAt")
      SELECT d."id", p.name,
        COALESCE(p.value, CASE p.name WHEN $crName THEN d."connectionRequestUrl" WHEN $ipName THEN d."externalIp" END),
        p.type, false, d."lastInformAt"
      FROM d CROSS JOIN unnest($names::text[], $values::text[], $types::text[]) AS p(name, value, type)
    ), events AS (
      INSERT INTO "DeviceEvent" ("deviceId", "code", "commandKey", "at")
      SELECT d."id", '2 PERIODIC', '', d."lastInformAt" FROM d
    )
    INSERT INTO "CwmpSession" ("id", "deviceId", "namespace", "state", "createdAt", "lastSeenAt", "expiresAt", "ended"${hasLive ? ', "live"' : ""})
    SELECT gen_random_uuid(), d."id", 'urn:dslforum-org:cwmp-1-0',
      jsonb_build_object('v', 1, 'tenantId', d."tenantId", 'dataModelRoot', $root, 'oui', $oui,
        'serialNumber', d."serialNumber", 'cpeDone', true, 'provisionCredentials', false, 'inFlight', null, 'requests', 0),
      d."lastInformAt", d."lastInformAt", d."lastInformAt" + interval '30 seconds', true${hasLive ? ", NULL" : ""}
    FROM d`;
  const values: Record<string, unknown> = {
    tenants: batch.tenantIds,
    oui: OUI,
    productClass: PRODUCT_CLASS,
    manufacturer: MANUFACTURER,
    modelName: deviceInfo.modelName,
    softwareVersion: deviceInfo.softwareVersion,
    hardwareVersion: deviceInfo.hardwareVersion,
    root: DATA_MODEL_ROOT,
    crBase: batch.connectionRequestBaseUrl,
    realm: CWMP_REALM,
    from,
    to,
    informedAgo: batch.informedSecondsAgo ?? 0,
    crName: parameterNames.connectionRequestUrl,
    ipName: parameterNames.externalIp,
    names: template.names,
    values: template.values,
    types: template.types,
  };
  const { text, params } = named(sql, values);
  await client.query(text, params);
}

/** One pending task per device of the prefix: SetParameterValues (a Wi-Fi SSID) and Reboot, alternately. */
export async function seedTasks(client: pg.Client, prefix: string): Promise<{ taskId: string; deviceId: string }[]> {
  const ssid = `${DATA_MODEL_ROOT}.LANDevice.1.WLANConfiguration.1.SSID`;
  const { rows } = await client.query<{ taskId: string; deviceId: string }>(
    `WITH d AS (
       SELECT "id", "tenantId", "serialNumber", row_number() OVER (ORDER BY "serialNumber") AS n
       FROM "Device" WHERE "serialNumber" LIKE $1 || '%'
     )
     INSERT INTO "Task" ("id", "tenantId", "deviceId", "kind", "args", "notBefore", "createdBy")
     SELECT gen_random_uuid(), d."tenantId", d."id",
       CASE WHEN d.n % 2 = 0 THEN 'reboot' ELSE 'setParameterValues' END,
       CASE WHEN d.n % 2 = 0 THEN '{}'::jsonb
         ELSE jsonb_build_object('values', jsonb_build_array(
           jsonb_build_object('name', $2::text, 'value', 'bench-' || d."serialNumber", 'type', 'xsd:string')))
       END,
       now() - interval '1 second', 'bench'
     FROM d
     RETURNING "id" AS "taskId", "deviceId"`,
    [prefix, ssid],
  );
  return rows;
}

async function columnsOf(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return rows.map((r) => r.name);
}

/** `$name` placeholders to `$1`, `$2`, ... in order of first use. */
function named(sql: string, values: Record<string, unknown>): { text: string; params: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/\$([a-zA-Z]+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`seed SQL uses $${name}, which has no value`);
    let k = order.indexOf(name);
    if (k === -1) k = order.push(name) - 1;
    return `$${k + 1}`;
  });
  return { text, params: order.map((name) => values[name]) };
}

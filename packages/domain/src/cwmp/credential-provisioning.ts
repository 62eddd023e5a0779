import type { SetParameterValues } from "@beacon/cwmp";
import type { Prisma } from "@beacon/db";
import { generateCpeCredentials } from "../cpe-auth/credentials.ts";
import type { PendingCredentials } from "./session-state.ts";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * Bootstrap admission: the CPE came in with the shared credential, so Beacon gives it credentials of its own
 * (ManagementServer.Username/Password) and sets those it will use for connection requests, in one
 * SetParameterValues. Only the digest hashes of the CPE's password are kept.
 */
export function credentialsRequest(
  device: { oui: string; serialNumber: string },
  root: string,
): { request: SetParameterValues; pending: PendingCredentials } {
  const c = generateCpeCredentials(device);
  const ms = `${root}.ManagementServer.`;
  return {
    request: {
      type: "SetParameterValues",
      parameterList: [
        { name: `${ms}Username`, value: c.username, type: "xsd:string" },
        { name: `${ms}Password`, value: c.password, type: "xsd:string" },
        { name: `${ms}ConnectionRequestUsername`, value: c.connReqUsername, type: "xsd:string" },
        { name: `${ms}ConnectionRequestPassword`, value: c.connReqPassword, type: "xsd:string" },
      ],
      parameterKey: "",
    },
    pending: {
      username: c.username,
      ha1Md5: c.ha1Md5,
      ha1Sha256: c.ha1Sha256,
      connReqUsername: c.connReqUsername,
      connReqPassword: c.connReqPassword,
    },
  };
}

/**
 * How long the credential a device had before Beacon gave it its own still admits it, unless it authenticates
 * with its own first: a CPE may answer Status 1 (applied after a restart, TR-069 A.3.2.1) and restart days later.
 */
export const PREVIOUS_CREDENTIAL_GRACE_SECONDS = 7 * 86_400;

/**
 * The CPE accepted its credentials: they admit it from now on. With Status 1 (applied after a restart, TR-069
 * A.3.2.1) the CPE goes on using its previous (bootstrap) credential until it restarts, so that one still admits
 * it until it first uses the new ones, or the grace ends: such a CPE is never locked out. With Status 0 the
 * CPE uses them at once and the previous credential no longer admits it.
 */
export async function storeCredentials(
  sql: Sql,
  deviceId: string,
  c: PendingCredentials,
  now: Date,
  status: number,
): Promise<{ wasHeld: boolean }> {
  const previousUntil = status === 1 ? new Date(now.getTime() + PREVIOUS_CREDENTIAL_GRACE_SECONDS * 1000) : null;
  // Its own credentials also settle a re-enrollment the device asked for; whether it had, the old row says.
  const rows = await sql.$queryRaw<{ wasHeld: boolean }[]>`
    UPDATE "Device" d SET "cwmpUsername" = ${c.username}, "cwmpHa1Md5" = ${c.ha1Md5}, "cwmpHa1Sha256" = ${c.ha1Sha256},
      "connReqUsername" = ${c.connReqUsername}, "connReqPassword" = ${c.connReqPassword},
      "cwmpPreviousCredentialUntil" = ${previousUntil}::timestamptz, "updatedAt" = ${now}::timestamptz,
      "reenrollRequestedAt" = NULL, "reenrollApprovedAt" = NULL
    FROM (SELECT "reenrollRequestedAt", "reenrollApprovedAt" FROM "Device" WHERE "id" = ${deviceId}::uuid) old
    WHERE d."id" = ${deviceId}::uuid
    RETURNING (old."reenrollRequestedAt" IS NOT NULL OR old."reenrollApprovedAt" IS NOT NULL) AS "wasHeld"`;
  return { wasHeld: rows[0]?.wasHeld ?? false };
}

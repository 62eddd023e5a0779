import type { Db, Device } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import { credentialHashes } from "./credentials.ts";

export interface PreregisterDeviceInput {
  tenantId: string;
  oui: string;
  productClass?: string;
  serialNumber: string;
  /** The CPE's own CWMP credentials, when it ships with them; otherwise it bootstraps with the shared one. */
  credentials?: { username: string; password: string };
}

/**
 * Registers a device before its first Inform: the only way in under BEACON_CWMP_ADMISSION=closed, and a way to
 * put a device in its tenant from the start under any policy.
 */
export async function preregisterDevice(
  db: Db,
  input: PreregisterDeviceInput,
  actor: { id?: string | null; label: string },
): Promise<Device> {
  const oui = input.oui.trim().toUpperCase();
  const serialNumber = input.serialNumber.trim();
  if (!/^[0-9A-F]{6}$/.test(oui)) throw new Invalid("an OUI is six hexadecimal digits");
  if (!serialNumber) throw new Invalid("a serial number is required");
  if (!(await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } })))
    throw new NotFound("domain");
  const productClass = input.productClass?.trim() ?? "";
  const existing = await db.device.findUnique({
    where: { oui_productClass_serialNumber: { oui, productClass, serialNumber } },
    select: { id: true },
  });
  if (existing) throw new Conflict(`device ${oui}-${productClass}-${serialNumber} is registered already`);
  const credentials = input.credentials;
  if (
    credentials &&
    (await db.device.findUnique({ where: { cwmpUsername: credentials.username }, select: { id: true } }))
  ) {
    throw new Conflict(`another device uses the username ${credentials.username}`);
  }
  return db.$transaction(async (tx) => {
    const device = await tx.device.create({
      data: {
        tenantId: input.tenantId,
        oui,
        productClass,
        serialNumber,
        ...(credentials
          ? {
              cwmpUsername: credentials.username,
              ...prefixed(credentialHashes(credentials.username, credentials.password)),
            }
          : {}),
      },
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "device.preregister",
      targetType: "device",
      targetId: device.id,
      deviceId: device.id,
      after: { oui, productClass, serialNumber, ownCredentials: Boolean(credentials) },
    });
    return device;
  });
}

function prefixed(hashes: { ha1Md5: string; ha1Sha256: string }) {
  return { cwmpHa1Md5: hashes.ha1Md5, cwmpHa1Sha256: hashes.ha1Sha256 };
}

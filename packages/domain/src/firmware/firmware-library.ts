import type { Readable } from "node:stream";
import type { Db, File } from "@beacon/db";
import { Invalid, NotFound } from "../errors.ts";
import { storeFile } from "../files/file-store.ts";

/** TR-069 FileType of a firmware image (A.3.2.8 Download). */
export const FIRMWARE_FILE_TYPE = "1 Firmware Upgrade Image";

export interface UploadFirmwareInput {
  tenantId: string;
  /** The file name the CPE is given, e.g. "EG8145V5-V5R020C00S280.bin". */
  name: string;
  content: Readable;
  vendor: string;
  /** The product classes the image is for; campaigns for other models refuse it. */
  productClasses: string[];
  /** The SoftwareVersion a device reports once it runs this image. */
  version: string;
  /** Refuse (FileTooLarge) an image larger than this many bytes; nothing is kept of it. */
  maxBytes?: number;
}

/**
 * Adds an image to a domain's firmware library (the domains below see it too). The image is streamed to
 * <dataDir>/files and hashed on the way (files/file-store.ts), never held in memory whole.
 */
export async function uploadFirmware(
  db: Db,
  dataDir: string,
  input: UploadFirmwareInput,
  actor: { id?: string | null; label: string },
): Promise<File> {
  const vendor = input.vendor.trim();
  const version = input.version.trim();
  const productClasses = [...new Set(input.productClasses.map((p) => p.trim()).filter(Boolean))];
  if (!vendor) throw new Invalid("firmware needs a vendor");
  if (!version) throw new Invalid("firmware needs the version devices report once they run it");
  if (!productClasses.length) throw new Invalid("firmware needs the product classes it is for");
  return storeFile(
    db,
    dataDir,
    {
      tenantId: input.tenantId,
      name: input.name,
      fileType: FIRMWARE_FILE_TYPE,
      content: input.content,
      vendor,
      productClasses,
      version,
      maxBytes: input.maxBytes,
    },
    actor,
  );
}

export type FirmwareListItem = File & { inherited: boolean };

export interface FirmwarePage {
  rows: FirmwareListItem[];
  total: number;
}

/** The firmware a domain may use: its own and its ancestors', newest first, a page at a time; optionally for one model. */
export async function listFirmware(
  db: Db,
  tenantId: string,
  options: { productClass?: string; page?: number; pageSize?: number } = {},
): Promise<FirmwarePage> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } });
  if (!tenant) throw new NotFound("domain");
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? 50;
  const where = {
    tenantId: { in: tenant.ancestorIds },
    fileType: FIRMWARE_FILE_TYPE,
    ...(options.productClass ? { productClasses: { has: options.productClass } } : {}),
  };
  const [files, total] = await Promise.all([
    db.file.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.file.count({ where }),
  ]);
  return { rows: files.map((f) => ({ ...f, inherited: f.tenantId !== tenantId })), total };
}

/** A firmware file the domain may use, or NotFound; Invalid when it is not a firmware image. */
export async function firmwareForDomain(db: Db, tenantId: string, fileId: string): Promise<File> {
  const [tenant, file] = await Promise.all([
    db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } }),
    db.file.findUnique({ where: { id: fileId } }),
  ]);
  if (!tenant) throw new NotFound("domain");
  if (!file || !tenant.ancestorIds.includes(file.tenantId)) throw new NotFound("firmware file");
  if (file.fileType !== FIRMWARE_FILE_TYPE)
    throw new Invalid(`${file.name} is a "${file.fileType}", not a firmware image`);
  return file;
}

import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Db, File } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid, NotFound } from "../errors.ts";

/**
 * Files live under BEACON_DATA_DIR/files, named by their SHA-256, so the same image stored twice takes the
 * space once; File rows hold the name, type and tenant.
 */
export const FILES_FOLDER = "files";

export class FileTooLarge extends Invalid {
  constructor(limit: number) {
    super(`the file is larger than ${limit} bytes`);
  }
}

export interface StoredBlob {
  sha256: string;
  size: number;
  /** Relative to the data directory, as File.storagePath keeps it. */
  storagePath: string;
}

/** Streams content into the store, hashing on the way; refuses more than maxBytes. */
export async function writeBlob(
  dataDir: string,
  content: Readable | Buffer,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<StoredBlob> {
  const folder = join(dataDir, FILES_FOLDER);
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.upload-${randomBytes(8).toString("hex")}`);
  const hash = createHash("sha256");
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(new FileTooLarge(maxBytes));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Buffer.isBuffer(content) ? Readable.from([content]) : content, meter, createWriteStream(temporary));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const sha256 = hash.digest("hex");
  const storagePath = join(FILES_FOLDER, sha256);
  await rename(temporary, join(dataDir, storagePath));
  return { sha256, size, storagePath };
}

export function blobPath(dataDir: string, storagePath: string): string {
  const root = resolve(dataDir);
  const path = resolve(root, storagePath);
  if (!path.startsWith(`${root}/`)) throw new Invalid("a stored file lies outside the data directory");
  return path;
}

export interface StoreFileInput {
  tenantId: string;
  name: string;
  /** TR-069 FileType, e.g. "1 Firmware Upgrade Image". */
  fileType: string;
  content: Readable | Buffer;
  vendor?: string;
  productClasses?: string[];
  version?: string;
  /** Refuse (FileTooLarge) content larger than this many bytes. */
  maxBytes?: number;
}

/** Stores a file operators can then send to devices with a download task. */
export async function storeFile(
  db: Db,
  dataDir: string,
  input: StoreFileInput,
  actor: { id?: string | null; label: string },
): Promise<File> {
  const name = input.name.trim();
  if (!name || name.includes("/")) throw new Invalid("a file needs a name without slashes");
  if (!(await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } })))
    throw new NotFound("domain");
  const blob = await writeBlob(dataDir, input.content, input.maxBytes);
  return db.$transaction(async (tx) => {
    const file = await tx.file.create({
      data: {
        tenantId: input.tenantId,
        name,
        fileType: input.fileType,
        size: BigInt(blob.size),
        sha256: blob.sha256,
        storagePath: blob.storagePath,
        vendor: input.vendor,
        productClasses: input.productClasses ?? [],
        version: input.version,
      },
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "file.create",
      targetType: "file",
      targetId: file.id,
      after: { name, fileType: input.fileType, size: blob.size, sha256: blob.sha256 },
    });
    return file;
  });
}

export async function blobSize(dataDir: string, storagePath: string): Promise<number | null> {
  try {
    return (await stat(blobPath(dataDir, storagePath))).size;
  } catch {
    return null;
  }
}

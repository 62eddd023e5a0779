import type { Readable } from "node:stream";
import type { Db, File, Prisma } from "@beacon/db";
import { constantTimeEqual } from "../cpe-auth/digest.ts";
import { writeBlob } from "./file-store.ts";

/**
 * The file server's view of Download and Upload tasks: a URL is good only while its task runs and only with
 * the token the session stored on the task (see transfer-urls.ts).
 */

interface TransferTask {
  id: string;
  tenantId: string;
  deviceId: string;
  kind: string;
  args: Prisma.JsonValue;
  result: Prisma.JsonValue;
}

async function runningTransfer(
  db: Db,
  taskId: string,
  token: string,
  kinds: readonly string[],
): Promise<TransferTask | null> {
  if (!/^[0-9a-f-]{36}$/i.test(taskId)) return null;
  const task = await db.task.findUnique({
    where: { id: taskId },
    select: { id: true, tenantId: true, deviceId: true, kind: true, args: true, result: true, state: true },
  });
  if (!task || !kinds.includes(task.kind) || task.state !== "running") return null;
  const stored = (task.result as { transferToken?: unknown } | null)?.transferToken;
  if (typeof stored !== "string" || !constantTimeEqual(stored, token)) return null;
  return task;
}

/** The file a running download task offers its device, or null for any URL that is not (or no longer) valid. */
export async function fileForDownload(db: Db, taskId: string, token: string): Promise<File | null> {
  const task = await runningTransfer(db, taskId, token, ["download", "scheduleDownload"]);
  const fileId = (task?.args as { fileId?: unknown } | undefined)?.fileId;
  if (!task || typeof fileId !== "string") return null;
  return db.file.findFirst({ where: { id: fileId } });
}

/**
 * Takes the file a CPE uploads for a running upload task: stored like any other file, in the device's tenant,
 * and named on the task's result. The task itself ends with the CPE's TransferComplete.
 */
export async function receiveUpload(
  db: Db,
  dataDir: string,
  input: { taskId: string; token: string; content: Readable; maxBytes: number; now: Date },
): Promise<File | null> {
  const task = await runningTransfer(db, input.taskId, input.token, ["upload"]);
  if (!task) return null;
  const device = await db.device.findUnique({ where: { id: task.deviceId }, select: { serialNumber: true } });
  const fileType = (task.args as { fileType?: string } | null)?.fileType ?? "1 Vendor Configuration File";
  const blob = await writeBlob(dataDir, input.content, input.maxBytes);
  const stamp = input.now.toISOString().replace(/[:.]/g, "-");
  return db.$transaction(async (tx) => {
    const file = await tx.file.create({
      data: {
        tenantId: task.tenantId,
        name: `${device?.serialNumber ?? task.deviceId}-${fileType.replace(/^\d+\s+/, "").replace(/\W+/g, "-")}-${stamp}`,
        fileType,
        size: BigInt(blob.size),
        sha256: blob.sha256,
        storagePath: blob.storagePath,
      },
    });
    await tx.$executeRaw`
      UPDATE "Task" SET "result" = COALESCE("result", '{}'::jsonb) || ${JSON.stringify({ fileId: file.id, size: blob.size })}::jsonb
      WHERE "id" = ${task.id}::uuid`;
    return file;
  });
}

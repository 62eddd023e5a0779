import { type Db, Prisma, type Task } from "@beacon/db";
import { isRetryableFault, MAX_ATTEMPTS, retryDelaySeconds } from "./retry-policy.ts";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/**
 * CTEs that take the next due task of the device `deviceId` (an SQL expression) (oldest first) and mark it running ("claimed", RETURNING the
 * task), expiring overdue ones on the way. The row lock keeps two processes from taking the same task. It waits
 * rather than skips a locked row: one live session per device is enforced by the database, so the only other
 * holders are short writes such as the waker recording a connection request's outcome on the very task the woken
 * session is about to claim, and skipping that row would end the session without its task.
 */
export function claimNextTaskSql(deviceId: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`
    expired AS (
      UPDATE "Task" SET "state" = 'expired', "finishedAt" = ${now}::timestamptz
      WHERE "deviceId" = ${deviceId} AND "state" = 'pending' AND "expiresAt" <= ${now}::timestamptz
    ), next AS (
      SELECT "id" FROM "Task"
      WHERE "deviceId" = ${deviceId} AND "state" = 'pending' AND "notBefore" <= ${now}::timestamptz
        AND ("expiresAt" IS NULL OR "expiresAt" > ${now}::timestamptz)
      ORDER BY "notBefore", "createdAt", "id"
      LIMIT 1
      FOR UPDATE
    ), claimed AS (
      UPDATE "Task" t SET "state" = 'running', "startedAt" = ${now}::timestamptz, "attempts" = t."attempts" + 1,
        "faultCode" = NULL, "faultString" = NULL, "result" = NULL
      FROM next WHERE t."id" = next."id"
      RETURNING t.*
    )`;
}

export async function claimNextTask(sql: Sql, deviceId: string, now: Date): Promise<Task | null> {
  const rows = await sql.$queryRaw<
    Task[]
  >`WITH ${claimNextTaskSql(Prisma.sql`${deviceId}::uuid`, now)} SELECT * FROM claimed`;
  return rows[0] ?? null;
}

export async function completeTask(sql: Sql, taskId: string, result: Prisma.InputJsonValue | null, now: Date) {
  await sql.$executeRaw`
    UPDATE "Task" SET "state" = 'done', "result" = ${result === null ? null : JSON.stringify(result)}::jsonb, "finishedAt" = ${now}::timestamptz
    WHERE "id" = ${taskId}::uuid`;
}

/**
 * Adds keys to a task's result. A download or upload keeps its transfer token there, and `awaiting` keeps it
 * running across sessions until the CPE's TransferComplete names it.
 */
export async function mergeTaskResult(sql: Sql, taskId: string, result: Prisma.InputJsonValue) {
  await sql.$executeRaw`
    UPDATE "Task" SET "result" = COALESCE("result", '{}'::jsonb) || ${JSON.stringify(result)}::jsonb
    WHERE "id" = ${taskId}::uuid`;
}

export interface TaskFault {
  /** The CWMP fault code; null when Beacon itself gave up (bad arguments, unexpected answer). */
  code: number | null;
  message: string;
}

/**
 * Records a CPE fault on a task. A transient fault (busy, out of resources) sends the task back to the queue
 * with a growing delay until MAX_ATTEMPTS; anything else is final.
 */
export async function faultTask(sql: Sql, task: Pick<Task, "id" | "attempts">, fault: TaskFault, now: Date) {
  if (fault.code !== null && isRetryableFault(fault.code) && task.attempts < MAX_ATTEMPTS) {
    const notBefore = new Date(now.getTime() + retryDelaySeconds(task.attempts) * 1000);
    await sql.$executeRaw`
      UPDATE "Task" SET "state" = 'pending', "faultCode" = ${fault.code}::int, "faultString" = ${fault.message},
        "notBefore" = ${notBefore}::timestamptz
      WHERE "id" = ${task.id}::uuid`;
    return;
  }
  await sql.$executeRaw`
    UPDATE "Task" SET "state" = 'fault', "faultCode" = ${fault.code}::int, "faultString" = ${fault.message}, "finishedAt" = ${now}::timestamptz
    WHERE "id" = ${task.id}::uuid`;
}

/**
 * A task still running when its device opens a new session was cut off (the CPE dropped the session or an
 * ingress process died): it goes back to the queue, unless it has been tried MAX_ATTEMPTS times. Transfers
 * waiting for their TransferComplete are left alone. A data-modifying CTE for the device in CTE `source`.
 */
export function requeueInterruptedSql(source: string, now: Date): Prisma.Sql {
  const from = Prisma.raw(`"${source}"`);
  return Prisma.sql`
    requeued AS (
      UPDATE "Task" t SET
        "state" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN 'fault'::"TaskState" ELSE 'pending'::"TaskState" END,
        "faultString" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN 'interrupted ' || t."attempts" || ' times'
          ELSE t."faultString" END,
        "finishedAt" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN ${now}::timestamptz ELSE NULL END
      FROM ${from} s
      WHERE t."deviceId" = s."id" AND t."state" = 'running'
        AND NOT (t."result" IS NOT NULL AND jsonb_exists(t."result", 'awaiting'))
    )`;
}

export async function findTask(db: Db, taskId: string): Promise<Task | null> {
  return db.task.findUnique({ where: { id: taskId } });
}

import type { AcsRequest, AcsResponse, CpeMessage, CpeRequest, CpeResponse, Fault, Inform } from "@beacon/cwmp";
import { type Db, Prisma, queryRows, type Task } from "@beacon/db";
import { prepareCheckoutNetworks } from "../checkout/checkout-networks.ts";
import { settleReenrollment } from "../cpe-auth/reenrollment.ts";
import { downloadUrl, newTransferToken, uploadUrl } from "../files/transfer-urls.ts";
import { initialNetworkReads, storeNetworkMap } from "../networks/read-network-map.ts";
import { maskSecrets } from "../secrets/secret-parameters.ts";
import { isTaskKind, TaskArgs, type TaskArgsOf as TaskArgsOfKind, TRANSFER_KINDS } from "../tasks/task-kinds.ts";
import { claimNextTask, claimNextTaskSql, completeTask, faultTask, mergeTaskResult } from "../tasks/task-queue.ts";
import { prepareApplySettings } from "../templates/late-apply.ts";
import { loadMappings, type MappingSet } from "../templates/mappings.ts";
import { answerCpeRequest } from "./cpe-requests.ts";
import { credentialsRequest, storeCredentials } from "./credential-provisioning.ts";
import type { SessionSettings } from "./open-session.ts";
import { applyParameterEffects } from "./parameter-effects.ts";
import type { SessionHooks } from "./session-hooks.ts";
import { isSessionState, type SessionState } from "./session-state.ts";
import { endSession, type LiveSession, saveSession } from "./session-store.ts";
import { type TaskContext, type TaskInFlight, taskOutcome, taskRequest } from "./task-rpc.ts";

type Tx = Prisma.TransactionClient;

export interface ContinueSessionInput {
  message: Exclude<CpeMessage, Inform>;
  now: Date;
  /** Beacon's file server as the CPE reaches it, e.g. "http://acs.example.net:7547". */
  fileServerUrl: string;
}

export type ContinueSessionResult =
  /** The answer to the CPE's own request; it echoes the CPE's cwmp:ID. */
  | { kind: "reply"; message: AcsResponse | Fault }
  /** The next ACS request, with the cwmp:ID the CPE must echo. */
  | { kind: "request"; message: AcsRequest; id: string }
  /** Nothing more to do: an empty answer (HTTP 204) ends the session. */
  | { kind: "end" };

/** A session stops sending requests after this many, whatever is still queued; the next session goes on. */
export const MAX_REQUESTS_PER_SESSION = 500;

const CPE_REQUEST_TYPES: ReadonlySet<string> = new Set<CpeRequest["type"]>([
  "TransferComplete",
  "AutonomousTransferComplete",
  "GetRPCMethods",
  "RequestDownload",
  "DUStateChangeComplete",
  "AutonomousDUStateChangeComplete",
  "Kicked",
]);

function isCpeRequest(message: ContinueSessionInput["message"]): message is Exclude<CpeRequest, Inform> {
  return CPE_REQUEST_TYPES.has(message.type);
}

/**
 * One step of a session after its Inform (TR-069 3.7.1): answer the CPE's requests; after its empty POST, send
 * the ACS's requests one at a time, each answer settling a task; end with an empty response.
 */
export async function continueSession(
  db: Db,
  session: LiveSession,
  input: ContinueSessionInput,
  settings: Pick<SessionSettings, "timeoutSeconds" | "hooks">,
): Promise<ContinueSessionResult> {
  const { message, now } = input;
  const state: SessionState = structuredClone(session.state);
  const current: LiveSession = { ...session, state };

  if (isCpeRequest(message)) {
    const reply =
      message.type === "TransferComplete"
        ? await db.$transaction((tx) => answerCpeRequest(tx, session.deviceId, message, now))
        : await answerCpeRequest(db, session.deviceId, message, now);
    await saveSession(db, current, now, settings.timeoutSeconds);
    return { kind: "reply", message: reply };
  }

  if (
    message.type === "Empty" &&
    !state.inFlight &&
    !state.provisionCredentials &&
    !state.readInformInterval &&
    !state.untrusted
  ) {
    const handedOver = await handOverSession(db, session.id, input, settings);
    if (handedOver?.result) return handedOver.result;
  }

  // Hooks see only what has committed.
  const afterCommit: ((hooks: SessionHooks) => void)[] = [];
  let ended: { checkoutPending: boolean } | undefined;
  const result = await db.$transaction(async (tx): Promise<ContinueSessionResult> => {
    if (message.type === "Empty") {
      if (state.inFlight) {
        // The CPE dropped our request (TR-069 allows no such thing); its task waits for the next session.
        await abandonInFlight(tx, state, now);
        ended = await endSession(tx, session.id, now);
        return { kind: "end" };
      }
      state.cpeDone = true;
    } else if (state.inFlight) {
      await absorbAnswer(tx, current, message, now, afterCommit);
    }
    const next = state.cpeDone ? await nextRequest(tx, current, input) : null;
    if (!next) {
      ended = await endSession(tx, session.id, now);
      return { kind: "end" };
    }
    await saveSession(tx, current, now, settings.timeoutSeconds);
    return next;
  });
  const hooks = settings.hooks;
  if (hooks) {
    for (const call of afterCommit) call(hooks);
    if (result.kind === "end") hooks.sessionEnded(session.deviceId, now, ended);
  }
  return result;
}

/** A task as the session engine needs it. */
type ClaimedTask = Pick<Task, "id" | "kind" | "args" | "attempts">;

/**
 * The CPE's empty POST hands the session to the ACS (TR-069 3.7.1.4). In the common case (no request in
 * flight, no credentials owed) one statement, keyed by the session cookie alone, takes the first due task or,
 * with none, ends the session. Null when the session is not live; `result` null when it is live but not in
 * that case: go on with continueSession and the session returned (no need to read it again).
 */
export async function handOverSession(
  db: Db,
  sessionId: string,
  input: Omit<ContinueSessionInput, "message">,
  settings: Pick<SessionSettings, "timeoutSeconds" | "hooks">,
): Promise<{ session: LiveSession; result: ContinueSessionResult | null } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  type SessionRow = Omit<LiveSession, "state"> & { state: unknown };
  const rows = await queryRows<{
    live: SessionRow | null;
    session: SessionRow | null;
    task: ClaimedTask | null;
    checkoutPending: boolean;
  }>(
    db,
    Prisma.sql`
    WITH live AS (
      SELECT "id", "deviceId", "namespace", "state" FROM "CwmpSession"
      WHERE "id" = ${sessionId}::uuid AND "live" AND "expiresAt" > ${input.now}::timestamptz
    ),
    s AS (
      SELECT * FROM live
      WHERE "state"->'inFlight' = 'null'::jsonb AND "state"->'provisionCredentials' = 'false'::jsonb
        AND "state"->'readInformInterval' IS DISTINCT FROM 'true'::jsonb
        AND "state"->'untrusted' IS NULL
    ),
    ${claimNextTaskSql(Prisma.sql`(SELECT "deviceId" FROM s)`, input.now)},
    ended AS (
      UPDATE "CwmpSession" SET "ended" = true, "live" = NULL, "lastSeenAt" = ${input.now}::timestamptz
      WHERE "id" IN (SELECT "id" FROM s) AND NOT EXISTS (SELECT 1 FROM claimed)
    )
    SELECT (SELECT to_jsonb(live) FROM live) AS "live", (SELECT to_jsonb(s) FROM s) AS "session",
      (SELECT jsonb_build_object('id', c."id", 'kind', c."kind", 'args', c."args", 'attempts', c."attempts") FROM claimed c) AS "task",
      -- Whether the hook that settles checkouts at a session's end has anything to look at: almost never.
      EXISTS (SELECT 1 FROM "Checkout" k WHERE k."deviceId" = (SELECT "deviceId" FROM s) AND k."state" = 'pending')
        AS "checkoutPending"`,
  );
  const row = rows[0];
  if (!row?.live || !isSessionState(row.live.state)) return null;
  if (!row.session) return { session: { ...row.live, state: row.live.state }, result: null };
  if (!isSessionState(row.session.state)) return null;
  const session: LiveSession = { ...row.session, state: { ...row.session.state, cpeDone: true } };
  if (!row.task) {
    settings.hooks?.sessionEnded(row.session.deviceId, input.now, { checkoutPending: row.checkoutPending });
    return { session, result: { kind: "end" } };
  }
  const task = row.task;
  let ended: { checkoutPending: boolean } | undefined;
  const result = await db.$transaction(async (tx): Promise<ContinueSessionResult> => {
    const next = await nextRequest(tx, session, input, task);
    if (!next) {
      ended = await endSession(tx, session.id, input.now);
      return { kind: "end" };
    }
    await saveSession(tx, session, input.now, settings.timeoutSeconds);
    return next;
  });
  if (result.kind === "end") settings.hooks?.sessionEnded(session.deviceId, input.now, ended);
  return { session, result };
}

async function absorbAnswer(
  tx: Tx,
  session: LiveSession,
  answer: CpeResponse | Fault,
  now: Date,
  afterCommit: ((hooks: SessionHooks) => void)[],
): Promise<void> {
  const { state } = session;
  const inFlight = state.inFlight!;
  if (inFlight.kind === "credentials") {
    // A fault leaves the device on the credential it has; it is given new ones at its next session.
    if (answer.type === "SetParameterValuesResponse") {
      const { wasHeld } = await storeCredentials(tx, session.deviceId, inFlight.credentials, now, answer.status);
      if (wasHeld) await settleReenrollment(tx, session.deviceId, now);
    }
    state.provisionCredentials = false;
    state.inFlight = null;
    return;
  }
  if (inFlight.kind === "informInterval") {
    state.inFlight = null;
    if (answer.type !== "GetParameterValuesResponse") return;
    const values = answer.parameterList.map((p) => ({ name: p.name, value: p.value, type: p.type }));
    await applyParameterEffects(tx, session.deviceId, { values }, now);
    const interval = Number.parseInt(values.find((v) => v.name === inFlight.name)?.value ?? "", 10);
    if (interval > 0) {
      await tx.$executeRaw`
        UPDATE "Device" SET "periodicInformInterval" = ${interval}::int WHERE "id" = ${session.deviceId}::uuid`;
    }
    return;
  }
  const task = inFlight.task;
  const outcome = taskOutcome(task, answer);
  if (answer.type === "GetParameterValuesResponse" && outcome.kind !== "fault") {
    afterCommit.push((hooks) => hooks.valuesRead(session.deviceId, answer.parameterList, now));
  }
  if (answer.type === "Fault" && task.kind === "setParameterValues" && answer.setParameterValuesFault?.length) {
    const faults = answer.setParameterValuesFault;
    afterCommit.push((hooks) => hooks.valuesRefused(task.id, faults));
  }
  switch (outcome.kind) {
    case "done":
      await applyParameterEffects(tx, session.deviceId, outcome.effects, now);
      if (task.kind === "readNetworkMap") await storeNetworkMap(tx, session.deviceId, state.dataModelRoot, now);
      await completeTask(tx, task.id, outcome.result as Prisma.InputJsonValue, now);
      state.inFlight = null;
      return;
    case "next":
      await applyParameterEffects(tx, session.deviceId, outcome.effects, now);
      inFlight.task = { ...task, step: outcome.step, ...(outcome.args !== undefined ? { args: outcome.args } : {}) };
      return;
    case "awaitCpe":
      await mergeTaskResult(tx, task.id, outcome.result as Prisma.InputJsonValue);
      state.inFlight = null;
      return;
    case "fault":
      await faultTask(tx, task, { code: outcome.code, message: outcome.message }, now);
      state.inFlight = null;
      return;
  }
}

async function abandonInFlight(tx: Tx, state: SessionState, now: Date): Promise<void> {
  const inFlight = state.inFlight;
  state.inFlight = null;
  if (inFlight?.kind !== "task") return;
  await tx.$executeRaw`
    UPDATE "Task" SET "state" = 'pending', "notBefore" = ${now}::timestamptz WHERE "id" = ${inFlight.task.id}::uuid AND "state" = 'running'`;
}

/** The next ACS request: the next step of a task, the CPE's own credentials, or the next due task. */
async function nextRequest(
  tx: Tx,
  session: LiveSession,
  input: Omit<ContinueSessionInput, "message">,
  alreadyClaimed?: ClaimedTask,
): Promise<Extract<ContinueSessionResult, { kind: "request" }> | null> {
  const { state } = session;
  if (state.requests >= MAX_REQUESTS_PER_SESSION) return null;
  const send = (message: AcsRequest) => {
    state.requests += 1;
    const id = `beacon-${state.requests}`;
    if (state.inFlight) state.inFlight.requestId = id;
    return { kind: "request" as const, message, id };
  };

  if (state.inFlight?.kind === "task") {
    return send(taskRequest(state.inFlight.task, { dataModelRoot: state.dataModelRoot }));
  }
  if (state.provisionCredentials) {
    state.provisionCredentials = false;
    if (state.dataModelRoot) {
      const { request, pending } = credentialsRequest(state, state.dataModelRoot);
      state.inFlight = { kind: "credentials", requestId: "", credentials: pending };
      return send(request);
    }
  }
  let claimed = alreadyClaimed ?? null;
  for (;;) {
    const task = claimed ?? (await claimNextTask(tx, session.deviceId, input.now));
    claimed = null;
    if (!task) break;
    // Nothing secret reaches a device only the shared credential speaks for (a replayed serial number): the task
    // and those after it wait, in order, for a session the device opens with its own credentials.
    if (state.untrusted && carriesSecret(task.args)) {
      await unclaimTask(tx, task.id);
      break;
    }
    const prepared = await prepareTask(tx, task, state, input, session.deviceId);
    if ("fault" in prepared) {
      await faultTask(tx, task, { code: null, message: prepared.fault }, input.now);
      continue;
    }
    if ("complete" in prepared) {
      await completeTask(tx, task.id, prepared.complete as Prisma.InputJsonValue, input.now);
      continue;
    }
    state.inFlight = { kind: "task", requestId: "", task: { ...prepared.task, attempts: task.attempts } };
    return send(taskRequest(prepared.task, prepared.context));
  }
  // Once the queue is empty: the PeriodicInformInterval the Inform did not carry (the console needs it to tell
  // late from offline).
  if (state.readInformInterval && state.dataModelRoot) {
    state.readInformInterval = false;
    const name = `${state.dataModelRoot}.ManagementServer.PeriodicInformInterval`;
    state.inFlight = { kind: "informInterval", requestId: "", name };
    return send({ type: "GetParameterValues", parameterNames: [name] });
  }
  return null;
}

/** Whether a task's arguments hold a secret value (a passphrase, a password, a key), by the one classification. */
function carriesSecret(args: unknown): boolean {
  return JSON.stringify(maskSecrets(args)) !== JSON.stringify(args);
}

/** Puts a task just claimed back in the queue as it was. */
async function unclaimTask(tx: Tx, taskId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Task" SET "state" = 'pending', "startedAt" = NULL, "attempts" = GREATEST("attempts" - 1, 0)
    WHERE "id" = ${taskId}::uuid`;
}

let mappingSet: MappingSet | undefined;

/**
 * Checks a claimed task's arguments; for transfers, arranges the file URL; for the kinds planned from the
 * device's network map (applySettings, checkoutNetworks), plans them now, after the reads earlier in the session.
 */
async function prepareTask(
  tx: Tx,
  task: ClaimedTask,
  state: SessionState,
  input: Omit<ContinueSessionInput, "message">,
  deviceId: string,
): Promise<{ task: TaskInFlight; context: TaskContext } | { fault: string } | { complete: unknown }> {
  if (!isTaskKind(task.kind)) return { fault: `unknown task kind ${task.kind}` };
  if (task.kind === "operate") return { fault: "operate is a USP command; this device speaks CWMP" };
  const parsed = TaskArgs[task.kind].safeParse(task.args);
  if (!parsed.success) return { fault: `invalid arguments: ${parsed.error.issues[0]?.message ?? "?"}` };
  const inFlight: TaskInFlight = { id: task.id, kind: task.kind, args: parsed.data, step: 0 };
  const context: TaskContext = { dataModelRoot: state.dataModelRoot };
  if (task.kind === "readNetworkMap") {
    if (!state.dataModelRoot) return { fault: "the device's data model root is not known yet" };
    const reads = (parsed.data as { reads?: unknown[] }).reads;
    inFlight.args = { reads: reads?.length ? reads : initialNetworkReads(state.dataModelRoot) };
    return { task: inFlight, context };
  }
  if (task.kind === "applySettings") {
    mappingSet ??= loadMappings();
    const args = parsed.data as TaskArgsOfKind<"applySettings">;
    const planned = await prepareApplySettings(tx, deviceId, task.id, args, mappingSet);
    if (planned.values.length === 0) return { complete: { values: 0, skipped: planned.skipped } };
    inFlight.args = { values: planned.values, parameterKey: args.parameterKey ?? "" };
    return { task: inFlight, context };
  }
  if (task.kind === "checkoutNetworks") {
    mappingSet ??= loadMappings();
    const args = parsed.data as TaskArgsOfKind<"checkoutNetworks">;
    const prepared = await prepareCheckoutNetworks(tx, deviceId, args, mappingSet);
    if (prepared.steps.length === 0) return { complete: { networks: prepared.outcomes ?? [], notes: prepared.notes } };
    inFlight.args = prepared;
    return { task: inFlight, context };
  }
  if (!TRANSFER_KINDS.has(task.kind)) return { task: inFlight, context };

  const token = newTransferToken();
  await mergeTaskResult(tx, task.id, { transferToken: token });
  if (task.kind === "upload") {
    const fileType = (parsed.data as { fileType: string }).fileType;
    context.transfer = {
      url: uploadUrl(input.fileServerUrl, task.id, token),
      fileType,
      fileSize: 0,
      targetFileName: "",
    };
    return { task: inFlight, context };
  }
  const fileId = (parsed.data as { fileId?: string }).fileId;
  if (!fileId) return { task: inFlight, context };
  const file = await tx.file.findUnique({ where: { id: fileId }, select: { name: true, fileType: true, size: true } });
  if (!file) return { fault: "the file to download no longer exists" };
  context.transfer = {
    url: downloadUrl(input.fileServerUrl, task.id, token, file.name),
    fileType: file.fileType,
    fileSize: Number(file.size),
    targetFileName: file.name,
  };
  return { task: inFlight, context };
}

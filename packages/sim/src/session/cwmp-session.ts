import {
  type AcsMessage,
  type AcsRequest,
  type CpeMessage,
  type CpeRequest,
  type DecodeErrorCode,
  decodeAcs,
  type EncodeOptions,
  encodeCpe,
  type Fault,
  type Inform,
} from "@beacon/cwmp";
import type { CpeStackQuirks } from "../device/stack-quirks.ts";
import { HttpClient, type HttpReply } from "../transport/http-client.ts";
import type { SessionExchange, SessionOutcome, SessionTranscript } from "./transcript.ts";

/** Everything one session needs; the device builds it from its parameters at the session's start. */
export interface SessionPlan {
  readonly serialNumber: string;
  readonly url: string;
  /** ManagementServer.Username/Password as they are when the session starts. */
  readonly username: string;
  readonly password: string;
  readonly namespace: string;
  /** Whether to send cwmp:ID headers (some stacks never do). */
  readonly sendIds: boolean;
  /** CWMP 1.4 SupportedCWMPVersions header on the Inform, e.g. "1.0,1.1,1.2,1.3,1.4". */
  readonly supportedCwmpVersions?: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly rejectUnauthorized: boolean;
  readonly inform: Inform;
  /** Requests to make after the InformResponse (TransferComplete, DUStateChangeComplete, ...). */
  readonly requests: readonly CpeRequest[];
  /** Content-Types and Digest as the device's stack does them. */
  readonly quirks?: CpeStackQuirks;
  /** Answers one ACS request (a response or a Fault). */
  readonly answer: (request: AcsRequest) => Promise<CpeMessage>;
  /** Wait this long before answering each ACS request. */
  readonly responseDelayMs?: number;
  /** Close the connection, without answering, once this many ACS requests have arrived. */
  readonly dropAfterRequests?: number;
}

export interface SessionResult extends SessionTranscript {
  /** The requests of plan.requests the ACS acknowledged. */
  readonly acknowledged: readonly CpeRequest[];
}

const RESPONSE_OF: Readonly<Record<CpeRequest["type"], string>> = {
  Inform: "InformResponse",
  TransferComplete: "TransferCompleteResponse",
  AutonomousTransferComplete: "AutonomousTransferCompleteResponse",
  GetRPCMethods: "GetRPCMethodsResponse",
  RequestDownload: "RequestDownloadResponse",
  DUStateChangeComplete: "DUStateChangeCompleteResponse",
  AutonomousDUStateChangeComplete: "AutonomousDUStateChangeCompleteResponse",
  Kicked: "KickedResponse",
};

class SessionFailed extends Error {
  constructor(
    message: string,
    readonly outcome: SessionOutcome = "failed",
  ) {
    super(message);
  }
}

/**
 * One CWMP session as a CPE runs it (TR-069 section 3.7): POST Inform; on InformResponse, its own requests;
 * an empty POST; then answer each ACS request until the ACS answers with 204 or an empty 200.
 */
export async function runSession(plan: SessionPlan): Promise<SessionResult> {
  const startedAt = new Date();
  const client = new HttpClient({
    username: plan.username,
    password: plan.password,
    userAgent: plan.userAgent,
    timeoutMs: plan.timeoutMs,
    rejectUnauthorized: plan.rejectUnauthorized,
    ...(plan.quirks?.digestChallenge ? { digestChallenge: plan.quirks.digestChallenge } : {}),
  });
  const exchanges: SessionExchange[] = [];
  const requests: AcsRequest[] = [];
  const faults: Fault[] = [];
  const acsFaults: Fault[] = [];
  const acknowledged: CpeRequest[] = [];
  let url = plan.url;
  let nextId = 1;
  let informAccepted = false;
  let outcome: SessionOutcome = "completed";
  let error: string | undefined;

  const post = async (
    message: CpeMessage,
    id: string | undefined,
  ): Promise<{ message?: AcsMessage; id?: string; holdRequests?: boolean; unreadable?: DecodeErrorCode }> => {
    const options: EncodeOptions = {
      namespace: plan.namespace,
      ...(plan.sendIds && id !== undefined ? { id } : {}),
      ...(message.type === "Inform" && plan.supportedCwmpVersions
        ? { supportedCwmpVersions: plan.supportedCwmpVersions }
        : {}),
    };
    const body = encodeCpe(message, options);
    let reply: HttpReply;
    try {
      reply = await client.request("POST", url, body, messageHeaders(body, plan.quirks));
    } catch (e) {
      exchanges.push({ sent: message, status: 0 });
      throw new SessionFailed(e instanceof Error ? e.message : String(e));
    }
    url = reply.url;
    if (reply.status === 204 || (reply.status === 200 && reply.body.length === 0)) {
      exchanges.push({ sent: message, status: reply.status, received: { type: "Empty" } });
      return { message: { type: "Empty" } };
    }
    if (reply.status !== 200) {
      exchanges.push({ sent: message, status: reply.status });
      throw new SessionFailed(`HTTP ${reply.status} from the ACS`);
    }
    const decoded = decodeAcs(reply.body, reply.headers);
    if (!decoded.ok) {
      exchanges.push({ sent: message, status: reply.status, decodeError: decoded.error.message });
      if (decoded.error.code === "unknown-rpc" || decoded.error.code === "invalid-rpc") {
        return { unreadable: decoded.error.code, ...(decoded.error.id === undefined ? {} : { id: decoded.error.id }) };
      }
      throw new SessionFailed(`unreadable answer from the ACS: ${decoded.error.message}`);
    }
    const envelope = decoded.envelope;
    exchanges.push({ sent: message, status: reply.status, received: envelope.message });
    return {
      message: envelope.message,
      ...(envelope.header.id === undefined ? {} : { id: envelope.header.id }),
      ...(envelope.header.holdRequests === undefined ? {} : { holdRequests: envelope.header.holdRequests }),
    };
  };

  try {
    const informReply = await post(plan.inform, String(nextId++));
    if (informReply.message?.type === "Fault") {
      acsFaults.push(informReply.message);
      throw new SessionFailed(`the ACS answered the Inform with fault ${informReply.message.faultCode}`);
    }
    if (informReply.message?.type !== "InformResponse") {
      throw new SessionFailed(`expected InformResponse, got ${informReply.message?.type ?? "an unreadable answer"}`);
    }
    informAccepted = true;

    // TR-069 A.2.2: while the ACS holds requests, the CPE sends none of its own.
    if (!informReply.holdRequests) {
      for (const request of plan.requests) {
        const reply = await post(request, String(nextId++));
        if (reply.message?.type === "Fault") {
          acsFaults.push(reply.message);
        } else if (reply.message?.type === RESPONSE_OF[request.type]) {
          acknowledged.push(request);
        } else {
          throw new SessionFailed(`expected ${RESPONSE_OF[request.type]}, got ${reply.message?.type ?? "nothing"}`);
        }
      }
    }

    let reply = await post({ type: "Empty" }, undefined);
    for (;;) {
      const message = reply.message;
      if (message?.type === "Empty") break;
      let answer: CpeMessage;
      if (message === undefined) {
        // An RPC we cannot read: unknown methods get 9000, unreadable arguments 9003 (TR-069 A.5.1).
        answer = { type: "Fault", faultCode: reply.unreadable === "unknown-rpc" ? 9000 : 9003 };
      } else if (message.type === "Fault") {
        // An ACS fault outside an answer to our request: nothing to answer; hand the turn back.
        acsFaults.push(message);
        answer = { type: "Empty" };
      } else if (isAcsRequest(message)) {
        requests.push(message);
        if (plan.dropAfterRequests !== undefined && requests.length >= plan.dropAfterRequests) {
          throw new SessionFailed(`dropped the connection after ${requests.length} ACS request(s)`, "dropped");
        }
        if (plan.responseDelayMs) await sleep(plan.responseDelayMs);
        answer = await plan.answer(message);
      } else {
        throw new SessionFailed(`unexpected ${message.type} from the ACS`);
      }
      if (answer.type === "Fault") faults.push(answer);
      reply = await post(answer, reply.id);
    }
  } catch (e) {
    if (!(e instanceof SessionFailed)) throw e;
    outcome = e.outcome;
    error = e.message;
  } finally {
    client.destroy();
  }

  return {
    serialNumber: plan.serialNumber,
    startedAt,
    endedAt: new Date(),
    url,
    events: plan.inform.event,
    retryCount: plan.inform.retryCount,
    outcome,
    ...(error === undefined ? {} : { error }),
    informAccepted,
    httpStatuses: client.statuses,
    exchanges,
    requests,
    rpcs: requests.map((r) => r.type),
    faults,
    acsFaults,
    acknowledged,
  };
}

function messageHeaders(body: string, quirks: CpeStackQuirks | undefined): Record<string, string> {
  if (body === "") {
    return quirks?.emptyPostContentType === undefined ? {} : { "content-type": quirks.emptyPostContentType };
  }
  return { "content-type": quirks?.contentType ?? 'text/xml; charset="utf-8"', soapaction: "" };
}

const ACS_REQUEST_TYPES: ReadonlySet<string> = new Set<AcsRequest["type"]>([
  "GetRPCMethods",
  "GetParameterNames",
  "GetParameterValues",
  "SetParameterValues",
  "GetParameterAttributes",
  "SetParameterAttributes",
  "AddObject",
  "DeleteObject",
  "Reboot",
  "FactoryReset",
  "Download",
  "Upload",
  "ScheduleInform",
  "ScheduleDownload",
  "CancelTransfer",
  "GetQueuedTransfers",
  "GetAllQueuedTransfers",
  "ChangeDUState",
]);

function isAcsRequest(message: AcsMessage): message is AcsRequest {
  return ACS_REQUEST_TYPES.has(message.type);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import http from "node:http";
import { type AcsRequest, type CpeMessage, decodeAcs, encodeCpe, type Inform } from "@beacon/cwmp";
import { DigestSession, parseChallenges } from "@beacon/sim";

/**
 * One CWMP session the way a CPE's stack runs it (TR-069 3.7), kept lean so that one driver process can hold
 * hundreds in flight: its own keep-alive TCP connection for the session (closed at the end, as CPEs do), the
 * Inform unauthenticated first and again with Digest after the 401 (MD5, the first challenge, as older CPEs
 * pick), the session cookie, then the empty POST and the ACS's requests until an empty answer.
 */

export interface CpeSessionPlan {
  readonly url: URL;
  readonly namespace: string;
  readonly inform: Inform;
  readonly credentials: { readonly username: string; readonly password: string };
  /** Answers one ACS request. */
  readonly answer: (request: AcsRequest) => CpeMessage;
  readonly timeoutMs: number;
  /** Share connections with other sessions (--reuse-connections); default: a connection of its own. */
  readonly agent?: http.Agent;
}

export type SessionFailure =
  | "unauthorized"
  | "forbidden"
  | "busy"
  | "server-error"
  | "unexpected-status"
  | "timeout"
  | "network"
  | "protocol";

export interface CpeSessionResult {
  readonly ok: boolean;
  readonly failure?: SessionFailure;
  readonly detail?: string;
  /** HTTP requests sent, 401-challenged ones included. */
  readonly httpRequests: number;
  /** The ACS's requests, in order. */
  readonly acsRequests: readonly AcsRequest[];
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

class SessionAborted extends Error {
  constructor(
    readonly failure: SessionFailure,
    detail: string,
  ) {
    super(detail);
  }
}

const XML_HEADERS = { "content-type": 'text/xml; charset="utf-8"', soapaction: "" };
const MAX_ACS_REQUESTS = 50;

export async function runCpeSession(plan: CpeSessionPlan): Promise<CpeSessionResult> {
  const agent = plan.agent ?? new http.Agent({ keepAlive: true, maxSockets: 1 });
  const path = `${plan.url.pathname}${plan.url.search}`;
  const acsRequests: AcsRequest[] = [];
  let cookie: string | undefined;
  let digest: DigestSession | undefined;
  let httpRequests = 0;

  const post = async (body: string): Promise<Reply> => {
    const headers: Record<string, string> = body === "" ? {} : { ...XML_HEADERS };
    if (cookie) headers.cookie = cookie;
    if (digest) headers.authorization = digest.authorization("POST", path);
    httpRequests++;
    const reply = await send(agent, plan.url, body, headers, plan.timeoutMs);
    const setCookie = reply.headers["set-cookie"];
    if (setCookie?.length) cookie = setCookie.map((c) => c.split(";")[0]).join("; ");
    return reply;
  };

  try {
    const informXml = encodeCpe(plan.inform, { namespace: plan.namespace, id: "1" });
    let reply = await post(informXml);
    if (reply.status === 401) {
      const challenge = parseChallenges(headerValues(reply.headers["www-authenticate"])).find(
        (c) => c.scheme === "digest",
      );
      if (!challenge) throw new SessionAborted("unauthorized", "401 without a Digest challenge");
      digest = new DigestSession(challenge, plan.credentials.username, plan.credentials.password);
      reply = await post(informXml);
    }
    expectOk(reply, "Inform");
    const informResponse = decodeAcs(reply.body, reply.headers);
    if (!informResponse.ok || informResponse.envelope.message.type !== "InformResponse") {
      throw new SessionAborted("protocol", "the Inform was not answered with InformResponse");
    }

    reply = await post("");
    for (;;) {
      if (reply.status === 204 || (reply.status === 200 && reply.body.length === 0)) break;
      expectOk(reply, "empty POST");
      const decoded = decodeAcs(reply.body, reply.headers);
      if (!decoded.ok) throw new SessionAborted("protocol", `unreadable ACS message: ${decoded.error.message}`);
      const message = decoded.envelope.message;
      if (message.type === "Fault" || message.type === "Empty" || !isAcsRequest(message)) {
        throw new SessionAborted("protocol", `unexpected ${message.type} from the ACS`);
      }
      acsRequests.push(message);
      if (acsRequests.length > MAX_ACS_REQUESTS) throw new SessionAborted("protocol", "too many ACS requests");
      const answer = plan.answer(message);
      reply = await post(encodeCpe(answer, { namespace: plan.namespace, id: decoded.envelope.header.id ?? "" }));
    }
    return { ok: true, httpRequests, acsRequests };
  } catch (error) {
    const failure = error instanceof SessionAborted ? error.failure : networkFailure(error);
    return { ok: false, failure, detail: (error as Error).message, httpRequests, acsRequests };
  } finally {
    if (!plan.agent) agent.destroy();
  }
}

function expectOk(reply: Reply, what: string): void {
  if (reply.status === 200) return;
  const failure: SessionFailure =
    reply.status === 401
      ? "unauthorized"
      : reply.status === 403
        ? "forbidden"
        : reply.status === 503
          ? "busy"
          : reply.status >= 500
            ? "server-error"
            : "unexpected-status";
  throw new SessionAborted(failure, `HTTP ${reply.status} to the ${what}`);
}

function isAcsRequest(message: { type: string }): message is AcsRequest {
  return !message.type.endsWith("Response");
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function networkFailure(error: unknown): SessionFailure {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ETIMEDOUT" ? "timeout" : "network";
}

function send(
  agent: http.Agent,
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, "utf8");
    const request = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(payload.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    request.setTimeout(timeoutMs, () =>
      request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    request.on("error", reject);
    request.end(payload);
  });
}

import type { Socket } from "node:net";
import { type CpeMessage, decode, type Inform } from "@beacon/cwmp";
import type { Db } from "@beacon/db";
import {
  type ContinueSessionResult,
  continueSession,
  type DigestProof,
  endSession,
  findLiveSessionOfDevice,
  handOverSession,
  type LiveSession,
  loadLiveSession,
  type OpenSessionResult,
  openSession,
  type Principal,
  type SessionHooks,
  type SessionSettings,
} from "@beacon/domain";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CwmpSettings } from "../config.ts";
import type { Authentication, CpeAuthenticator } from "../cwmp/cpe-authenticator.ts";
import { answerCwmpFailure, askToRetry } from "../cwmp/outage-reply.ts";
import { acceptAnyBody, inflateRequestBodies } from "../cwmp/request-body.ts";
import { sessionCookie, sessionIdFromCookie } from "../cwmp/session-cookie.ts";
import type { SessionGate } from "../cwmp/session-gate.ts";
import { sendEnd, sendFault, sendSoap } from "../cwmp/soap-reply.ts";

export interface CwmpRouteOptions {
  db: Db;
  settings: CwmpSettings;
  authenticator: CpeAuthenticator;
  clock: () => Date;
  tenantIdForNewDevices: () => Promise<string>;
  hooks?: SessionHooks;
  drain: CwmpDrain;
  gate: SessionGate;
}

/** Sessions under way, so that a stopping ingress can let them finish before it closes (see server.ts). */
export interface CwmpDrain {
  /** Set when the process is stopping: new sessions are refused with 503 + Retry-After. */
  draining: boolean;
  /** Connections whose session has not ended yet. */
  sessions: Set<Socket>;
}

/** Past this size a body is no periodic Inform: its credentials are checked before its XML is parsed. */
const PROOF_MAX_BYTES = 32 * 1024;

/** Whether a request holds a slot of the session gate (taken once, given back when it is answered). */
interface Slot {
  held: boolean;
}

/**
 * POST / (and BEACON_CWMP_PATHS): the CWMP endpoint. HTTP only: cookies, authentication, the codec at the
 * edges; what a message means and what comes next is decided in @beacon/domain (openSession, continueSession).
 */
export async function cwmpRoutes(app: FastifyInstance, options: CwmpRouteOptions): Promise<void> {
  const { db, settings, authenticator, clock } = options;
  const sessionSettings: SessionSettings = {
    timeoutSeconds: settings.sessionTimeoutSeconds,
    admission: { policy: settings.admission, allowlist: settings.allowlist },
    hooks: options.hooks,
  };
  const requireAuth = settings.admission !== "open";
  // For CPEs that drop the session cookie: a session's requests share one keep-alive connection.
  const sessionBySocket = new WeakMap<Socket, string>();

  const { drain } = options;
  const { gate } = options;

  acceptAnyBody(app, settings.bodyLimitBytes);
  inflateRequestBodies(app);
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    const inSession = Boolean(sessionIdFromCookie(request.headers.cookie) ?? sessionBySocket.get(request.raw.socket));
    return answerCwmpFailure(error, request, reply, inSession);
  });

  async function findSession(request: FastifyRequest, now: Date): Promise<LiveSession | null> {
    const fromCookie = sessionIdFromCookie(request.headers.cookie);
    const fromSocket = sessionBySocket.get(request.raw.socket);
    for (const id of [fromCookie, fromSocket]) {
      if (!id) continue;
      const session = await loadLiveSession(db, id, now);
      if (session) return session;
    }
    return null;
  }

  /** A request that may start a session takes a slot of the gate first (and gives it back when answered). */
  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const sessionHint = sessionIdFromCookie(request.headers.cookie) ?? sessionBySocket.get(request.raw.socket);
    const slot: Slot = { held: false };
    if (sessionHint === undefined) {
      if (!gate.tryStart()) return refuseBusy(request, reply);
      slot.held = true;
    } else {
      gate.holds(sessionHint);
    }
    try {
      return await handleRequest(request, reply, sessionHint, slot);
    } finally {
      if (slot.held) gate.release();
    }
  }

  function refuseBusy(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    request.log.debug({ sessions: gate.inFlight }, "CWMP sessions at BEACON_INGRESS_MAX_SESSIONS: CPE asked to retry");
    return askToRetry(reply).header("connection", "close").send();
  }

  async function handleRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    sessionHint: string | undefined,
    slot: Slot,
  ): Promise<FastifyReply> {
    const now = clock();
    const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    // The session is looked up only when needed: an Inform starts a new one whatever cookie it carries.
    let session: LiveSession | null | undefined;
    if (body.length === 0 && sessionHint) {
      // The empty POST of a session: its cookie alone finds and authenticates it, in one statement.
      const handedOver = await handOverSession(
        db,
        sessionHint,
        { now, fileServerUrl: fileServerUrl(request) },
        sessionSettings,
      );
      if (handedOver?.result) return sendStep(request, reply, handedOver.session, handedOver.result, undefined);
      // Live, but with more to do than the common case (credentials owed, a request in flight...).
      if (handedOver) session = handedOver.session;
    }
    const currentSession = async () => {
      session ??= await findSession(request, now);
      return session;
    };
    // Outside a session, credentials are checked before any XML is parsed: a request without them, or with
    // wrong ones, costs no decoding whatever its size. Except one case, the periodic Inform's: a Digest response
    // to a live nonce of Beacon's, on a body of an Inform's size, is checked by the statement that opens the
    // session (openSession's DigestProof), which spares a round trip to the database; any other message, or a
    // proof that does not hold, is checked the long way before anything else happens.
    let auth: Authentication | undefined;
    let proof: DigestProof | null = null;
    if (requireAuth && !(await currentSession())) {
      proof = body.length <= PROOF_MAX_BYTES ? authenticator.digestProof(request) : null;
      if (!proof) {
        auth = await authenticator.authenticate(request);
        if (!auth.ok) return refuseCredentials(request, reply, auth);
      }
    }
    const checkNow = async (): Promise<FastifyReply | undefined> => {
      if (!proof) return undefined;
      proof = null;
      auth = await authenticator.authenticate(request);
      return auth.ok ? undefined : refuseCredentials(request, reply, auth);
    };

    const decoded = decode(body, request.headers, { maxBytes: settings.bodyLimitBytes });
    if (!decoded.ok) {
      const refused = await checkNow();
      if (refused) return refused;
      const { error } = decoded;
      request.log.info({ code: error.code, rpc: error.rpc }, `undecodable CWMP message: ${error.message}`);
      const open = await currentSession();
      const replyOptions = { namespace: error.namespace ?? open?.namespace, id: error.id };
      if (error.code === "unknown-rpc") return sendFault(reply, 8000, "Method not supported", replyOptions);
      if (open) await endSession(db, open.id, now);
      gate.end(open?.id);
      sessionBySocket.delete(request.raw.socket);
      return sendFault(reply, 8003, "Invalid arguments", replyOptions);
    }
    const { envelope } = decoded;
    const message = envelope.message;

    if (message.type === "Inform") {
      const checked = proof ? { proof } : auth;
      return inform(request, reply, message, envelope.namespace, envelope.header.id, now, checked, sessionHint, slot);
    }
    const refused = await checkNow();
    if (refused) return refused;

    let open = await currentSession();
    if (!open && auth?.ok && auth.principal.kind === "device") {
      // A CPE without cookies, on a new connection: its credentials name the device, and so its session.
      open = await findLiveSessionOfDevice(db, auth.principal.deviceId, now);
    }
    if (!open) {
      if (message.type === "Empty") return sendEnd(reply);
      request.log.info({ rpc: message.type }, "CWMP message outside a session");
      return sendFault(reply, 8003, "No session: start one with Inform", {
        namespace: envelope.namespace,
        id: envelope.header.id,
      });
    }
    return step(request, reply, open, message, envelope.header.id, now);
  }

  async function inform(
    request: FastifyRequest,
    reply: FastifyReply,
    message: Inform,
    namespace: string,
    id: string | undefined,
    now: Date,
    /** What was checked before the XML was read: credentials, or a proof for openSession to check. */
    checked: Authentication | { proof: DigestProof } | undefined,
    sessionHint: string | undefined,
    slot: Slot,
  ): Promise<FastifyReply> {
    if (drain.draining) return askToRetry(reply).send();
    // An Inform opens a new session: it needs a slot unless it replaces a session this process holds.
    const replaces = gate.holds(sessionHint) ? sessionHint : undefined;
    if (!slot.held && replaces === undefined) {
      if (!gate.tryStart()) return refuseBusy(request, reply);
      slot.held = true;
    }
    const common = {
      inform: message,
      namespace,
      cookieSessionId: sessionIdFromCookie(request.headers.cookie),
      remoteAddress: request.ip,
      tenantIdForNewDevices: await options.tenantIdForNewDevices(),
      now,
    };
    if (requireAuth && checked && "proof" in checked) {
      const result = await openSession(db, { ...common, proof: checked.proof }, sessionSettings);
      if (result.kind !== "unverified") return answerOpen(request, reply, message, namespace, id, result, replaces);
    }
    let principal: Principal = { kind: "anonymous" };
    if (requireAuth) {
      // Checked already unless the Inform came within a live session (its cookie), which it replaces, or its
      // proof did not hold.
      const auth = checked && !("proof" in checked) ? checked : await authenticator.authenticate(request);
      if (!auth.ok) {
        request.log.info(
          { serialNumber: message.deviceId.serialNumber, reason: auth.reason },
          "CPE authentication failed",
        );
        return authenticator.challenge(request, reply, auth.stale);
      }
      principal = auth.principal;
    }
    const result = await openSession(db, { ...common, principal }, sessionSettings);
    return answerOpen(request, reply, message, namespace, id, result, replaces);
  }

  function answerOpen(
    request: FastifyRequest,
    reply: FastifyReply,
    message: Inform,
    namespace: string,
    id: string | undefined,
    result: OpenSessionResult,
    replaces: string | undefined,
  ): FastifyReply {
    switch (result.kind) {
      case "busy":
        return askToRetry(reply, result.retryAfterSeconds).send();
      case "rejected":
      case "unverified":
        request.log.info(
          {
            oui: message.deviceId.oui,
            serialNumber: message.deviceId.serialNumber,
            reason: result.kind === "rejected" ? result.reason : "credentials not verified",
          },
          "CPE not admitted",
        );
        return reply.code(403).send();
      case "opened":
        gate.admit(result.session.id, replaces);
        sessionBySocket.set(request.raw.socket, result.session.id);
        trackSession(request.raw.socket);
        reply.header("set-cookie", sessionCookie(result.session.id));
        return sendSoap(reply, result.reply, { namespace, id });
    }
  }

  function refuseCredentials(
    request: FastifyRequest,
    reply: FastifyReply,
    auth: Extract<Authentication, { ok: false }>,
  ): FastifyReply {
    if (request.headers.authorization) {
      request.log.info({ username: auth.username, reason: auth.reason }, "CPE authentication failed");
    }
    return authenticator.challenge(request, reply, auth.stale);
  }

  async function step(
    request: FastifyRequest,
    reply: FastifyReply,
    session: LiveSession,
    message: Exclude<CpeMessage, Inform>,
    id: string | undefined,
    now: Date,
  ): Promise<FastifyReply> {
    const result = await continueSession(
      db,
      session,
      { message, now, fileServerUrl: fileServerUrl(request) },
      sessionSettings,
    );
    return sendStep(request, reply, session, result, id);
  }

  function sendStep(
    request: FastifyRequest,
    reply: FastifyReply,
    session: Pick<LiveSession, "id" | "namespace">,
    result: ContinueSessionResult,
    cpeId: string | undefined,
  ): FastifyReply {
    switch (result.kind) {
      case "reply":
        return sendSoap(reply, result.message, { namespace: session.namespace, id: cpeId });
      case "request":
        return sendSoap(reply, result.message, { namespace: session.namespace, id: result.id });
      case "end":
        gate.end(session.id);
        sessionBySocket.delete(request.raw.socket);
        drain.sessions.delete(request.raw.socket);
        if (drain.draining) reply.header("connection", "close");
        return sendEnd(reply);
    }
  }

  function trackSession(socket: Socket) {
    if (drain.sessions.has(socket)) return;
    drain.sessions.add(socket);
    socket.once("close", () => drain.sessions.delete(socket));
  }

  function fileServerUrl(request: FastifyRequest): string {
    return settings.publicUrl ?? `${request.protocol}://${request.host}`;
  }

  for (const path of ["/", ...settings.extraPaths]) app.post(path, handle);
}

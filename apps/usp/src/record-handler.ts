import type { AgentContact, UspController } from "@beacon/domain";
import {
  decodeMsg,
  decodeRecord,
  encodeMsg,
  encodeRecord,
  errorMsg,
  type Msg,
  USP_VERSION,
  UspCodecError,
} from "@beacon/usp";
import type { Logger } from "./log.ts";

/** What became of one Record, for the transport to act on. */
export type RecordVerdict =
  /** Unreadable: a WebSocket closes with 1003, MQTT drops it. */
  | { kind: "bad"; reason: string }
  | { kind: "dropped"; reason: string }
  | { kind: "handled"; deviceId: string | null; rejected?: string }
  | { kind: "disconnect" };

export interface RecordContext {
  controllerId: string;
  recordLimitBytes: number;
  controller: UspController;
  log: Logger;
  /** The endpoint id the transport vouches for (the WebSocket's eid), if any. */
  endpointId?: string;
  contact: (endpointId: string) => AgentContact;
  send: (record: Uint8Array) => void;
}

/**
 * One Record from an agent, whatever the transport: decode it, check it is for Beacon and from whom it claims,
 * hand its Msg to the controller, send back what it returns. Bad input is answered with an Error Msg when its
 * msg_id could be read, otherwise dropped with a log line; nothing an agent sends can throw out of here.
 */
export async function handleRecord(bytes: Uint8Array, ctx: RecordContext): Promise<RecordVerdict> {
  let record: ReturnType<typeof decodeRecord>;
  try {
    record = decodeRecord(bytes, { maxBytes: ctx.recordLimitBytes });
  } catch (error) {
    const reason = error instanceof UspCodecError ? error.message : String(error);
    ctx.log.warn("USP Record refused", { reason, endpointId: ctx.endpointId, bytes: bytes.byteLength });
    return { kind: "bad", reason };
  }
  if (record.toId !== ctx.controllerId) {
    ctx.log.warn("USP Record for another endpoint dropped", { toId: record.toId, fromId: record.fromId });
    return { kind: "dropped", reason: `to_id ${record.toId} is not ${ctx.controllerId}` };
  }
  if (ctx.endpointId && record.fromId !== ctx.endpointId) {
    ctx.log.warn("USP Record from another endpoint than the connection's dropped", {
      fromId: record.fromId,
      endpointId: ctx.endpointId,
    });
    return { kind: "dropped", reason: `from_id ${record.fromId} is not the connection's ${ctx.endpointId}` };
  }
  switch (record.kind) {
    case "websocketConnect":
    case "mqttConnect":
    case "stompConnect":
    case "udsConnect":
      return { kind: "handled", deviceId: null };
    case "disconnect":
      ctx.log.info("agent disconnected", { endpointId: record.fromId, reason: record.reason, code: record.reasonCode });
      return { kind: "disconnect" };
    case "sessionContext":
      ctx.log.warn("USP session context is not supported; Record dropped", { endpointId: record.fromId });
      return { kind: "dropped", reason: "session context Records are not supported" };
    case "noSessionContext":
      break;
  }
  const reply = (msg: Msg) =>
    ctx.send(
      encodeRecord({
        version: USP_VERSION,
        toId: record.fromId,
        fromId: ctx.controllerId,
        kind: "noSessionContext",
        payload: encodeMsg(msg),
      }),
    );
  let msg: Msg;
  try {
    msg = decodeMsg(record.payload);
  } catch (error) {
    if (!(error instanceof UspCodecError)) throw error;
    ctx.log.warn("USP Msg refused", { endpointId: record.fromId, reason: error.message, code: error.errCode });
    if (error.msgId) {
      reply(errorMsg(error.msgId, { errCode: error.errCode, errMsg: error.message }));
      return { kind: "handled", deviceId: null };
    }
    return { kind: "dropped", reason: error.message };
  }
  const handled = await ctx.controller.handleMsg(ctx.contact(record.fromId), msg);
  for (const out of handled.replies) reply(out);
  if (handled.rejected) ctx.log.warn("agent refused", { endpointId: record.fromId, reason: handled.rejected });
  return { kind: "handled", deviceId: handled.deviceId, rejected: handled.rejected };
}

/** A Record carrying one Msg from Beacon to an agent. */
export function recordFor(controllerId: string, endpointId: string, msg: Msg): Uint8Array {
  return encodeRecord({
    version: USP_VERSION,
    toId: endpointId,
    fromId: controllerId,
    kind: "noSessionContext",
    payload: encodeMsg(msg),
  });
}

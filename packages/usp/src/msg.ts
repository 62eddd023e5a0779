import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { UspCodecError } from "./codec-error.ts";
import { USP_ERRORS } from "./error-codes.ts";
import { Header_MsgType, type Msg, MsgSchema, type Request, type Response } from "./generated/usp-msg_pb.ts";
import { messageOf } from "./record.ts";

export type RequestKind = Exclude<Request["reqType"]["case"], undefined>;
export type ResponseKind = Exclude<Response["respType"]["case"], undefined>;

/** What a Msg carries: a request, a response, or an Error. */
export type MsgKind = RequestKind | ResponseKind | "error";

/** TR-369: the header's msg_type must name the body it travels with. */
const MSG_TYPE_OF: Record<MsgKind, Header_MsgType> = {
  get: Header_MsgType.GET,
  getResp: Header_MsgType.GET_RESP,
  notify: Header_MsgType.NOTIFY,
  notifyResp: Header_MsgType.NOTIFY_RESP,
  set: Header_MsgType.SET,
  setResp: Header_MsgType.SET_RESP,
  operate: Header_MsgType.OPERATE,
  operateResp: Header_MsgType.OPERATE_RESP,
  add: Header_MsgType.ADD,
  addResp: Header_MsgType.ADD_RESP,
  delete: Header_MsgType.DELETE,
  deleteResp: Header_MsgType.DELETE_RESP,
  getSupportedDm: Header_MsgType.GET_SUPPORTED_DM,
  getSupportedDmResp: Header_MsgType.GET_SUPPORTED_DM_RESP,
  getInstances: Header_MsgType.GET_INSTANCES,
  getInstancesResp: Header_MsgType.GET_INSTANCES_RESP,
  getSupportedProtocol: Header_MsgType.GET_SUPPORTED_PROTO,
  getSupportedProtocolResp: Header_MsgType.GET_SUPPORTED_PROTO_RESP,
  register: Header_MsgType.REGISTER,
  registerResp: Header_MsgType.REGISTER_RESP,
  deregister: Header_MsgType.DEREGISTER,
  deregisterResp: Header_MsgType.DEREGISTER_RESP,
  error: Header_MsgType.ERROR,
};

export function msgKind(msg: Msg): MsgKind | undefined {
  const body = msg.body?.msgBody;
  switch (body?.case) {
    case "request":
      return body.value.reqType.case;
    case "response":
      return body.value.respType.case;
    case "error":
      return "error";
    default:
      return undefined;
  }
}

/**
 * Bytes (a Record's payload) -> Msg. Throws UspCodecError, never anything else: 7000 when the bytes do not
 * parse or the header is missing, 7001 for a body Beacon does not know (a newer USP's request, or none), 7004
 * when msg_type and body disagree. The error carries msg_id whenever the header was readable.
 */
export function decodeMsg(bytes: Uint8Array): Msg {
  let msg: Msg;
  try {
    msg = fromBinary(MsgSchema, bytes, { readUnknownFields: false });
  } catch (error) {
    throw new UspCodecError(USP_ERRORS.messageFailed, `Msg could not be parsed: ${messageOf(error)}`);
  }
  const msgId = msg.header?.msgId;
  if (!msg.header || !msgId) throw new UspCodecError(USP_ERRORS.messageFailed, "Msg has no header or msg_id");
  const kind = msgKind(msg);
  if (!kind) {
    throw new UspCodecError(
      USP_ERRORS.messageNotSupported,
      `Msg type ${Header_MsgType[msg.header.msgType] ?? msg.header.msgType} is not supported`,
      msgId,
    );
  }
  if (MSG_TYPE_OF[kind] !== msg.header.msgType) {
    throw new UspCodecError(
      USP_ERRORS.invalidArguments,
      `msg_type ${Header_MsgType[msg.header.msgType] ?? msg.header.msgType} does not match a ${kind} body`,
      msgId,
    );
  }
  return msg;
}

export type RequestInit = NonNullable<
  MessageInitShape<typeof import("./generated/usp-msg_pb.ts").RequestSchema>["reqType"]
>;
export type ResponseInit = NonNullable<
  MessageInitShape<typeof import("./generated/usp-msg_pb.ts").ResponseSchema>["respType"]
>;
export type ErrorInit = MessageInitShape<typeof import("./generated/usp-msg_pb.ts").ErrorSchema>;

/** A request Msg, its msg_type set from the body. */
export function requestMsg(msgId: string, body: RequestInit & { case: RequestKind }): Msg {
  return create(MsgSchema, {
    header: { msgId, msgType: MSG_TYPE_OF[body.case] },
    body: { msgBody: { case: "request", value: { reqType: body } } },
  });
}

export function responseMsg(msgId: string, body: ResponseInit & { case: ResponseKind }): Msg {
  return create(MsgSchema, {
    header: { msgId, msgType: MSG_TYPE_OF[body.case] },
    body: { msgBody: { case: "response", value: { respType: body } } },
  });
}

export function errorMsg(msgId: string, error: ErrorInit): Msg {
  return create(MsgSchema, {
    header: { msgId, msgType: Header_MsgType.ERROR },
    body: { msgBody: { case: "error", value: error } },
  });
}

export function encodeMsg(msg: Msg): Uint8Array {
  return toBinary(MsgSchema, msg);
}

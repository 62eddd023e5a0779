/**
 * Input the codec refuses. `errCode` is the USP error code to answer with (7100 for a Record that does not
 * parse, 7000-range for a Msg); `msgId` is set when the Msg's header could be read, so the answer can name it.
 */
export class UspCodecError extends Error {
  override readonly name = "UspCodecError";
  constructor(
    readonly errCode: number,
    message: string,
    readonly msgId?: string,
  ) {
    super(message);
  }
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transform } from "node:stream";
import { createUnzip } from "node:zlib";
import type { FastifyInstance } from "fastify";

/**
 * CPEs send any Content-Type (text/xml, text/html, none at all) and any SOAPAction, so the CWMP routes take
 * every body as bytes and leave charset and XML to the codec.
 *
 * Fastify refuses a malformed media type (415 FST_ERR_CTP_INVALID_MEDIA_TYPE) before any parser runs, and CPE
 * firmware writes `text/xml charset=utf-8`, `xml`, `"text/xml"`, `text/xml,text/html` or an empty header; so
 * on these routes the header becomes `text/xml` first, with the charset it names, if any, for the codec.
 */
export function acceptAnyBody(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));
  app.addHook("onRequest", async (request) => {
    const given = request.headers["content-type"];
    if (given === undefined) return;
    request.headers["content-type"] = cwmpContentType(given);
  });
}

/** Any Content-Type a CPE sends, as a valid one that keeps its charset. */
export function cwmpContentType(given: string): string {
  const charset = /charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(given)?.[1];
  return charset ? `text/xml; charset=${charset}` : "text/xml";
}

type CountingStream = Transform & { receivedEncodedLength?: number };

/**
 * gzip and deflate request bodies (Content-Encoding). Fastify's body limit then applies to the inflated bytes,
 * which is what stops a zip bomb; receivedEncodedLength lets it check Content-Length against the wire bytes.
 */
export function inflateRequestBodies(app: FastifyInstance): void {
  app.addHook("preParsing", async (request, _reply, payload) => {
    const encoding = request.headers["content-encoding"]?.trim().toLowerCase();
    if (!encoding || encoding === "identity") return payload;
    if (encoding !== "gzip" && encoding !== "x-gzip" && encoding !== "deflate") {
      throw Object.assign(new Error(`unsupported Content-Encoding ${encoding}`), { statusCode: 415 });
    }
    const inflated: CountingStream = createUnzip();
    inflated.receivedEncodedLength = 0;
    payload.on("data", (chunk: Buffer) => {
      inflated.receivedEncodedLength = (inflated.receivedEncodedLength ?? 0) + chunk.length;
    });
    payload.on("error", (error) => inflated.destroy(error));
    inflated.on("error", () => payload.resume());
    return payload.pipe(inflated);
  });
}

/**
 * Expect: 100-continue (easycwmp and other libcurl CPEs). A body announced larger than the limit is refused
 * before the CPE sends it; anything else gets its 100 Continue.
 */
export function answerExpectContinue(app: FastifyInstance, bodyLimit: (url: string) => number): void {
  app.server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) => {
    const length = Number(request.headers["content-length"]);
    if (Number.isFinite(length) && length > bodyLimit(request.url ?? "/")) {
      response.writeHead(413, { connection: "close", "content-type": "text/plain" });
      response.end("request body too large\n");
      return;
    }
    response.writeContinue();
    app.server.emit("request", request, response);
  });
}

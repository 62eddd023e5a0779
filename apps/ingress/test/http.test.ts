import http from "node:http";
import { deflateSync } from "node:zlib";
import { encodeCpe } from "@beacon/cwmp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { gzip, rawRequest, TestCpe } from "./helpers/test-cpe.ts";

describe("CWMP over HTTP", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ admission: "open", extraPaths: ["/acs"], bodyLimitBytes: 2 * 1024 * 1024 });
  });
  afterAll(() => fixture.close());

  const informXml = (cpe: TestCpe, id = "1") => encodeCpe(cpe.informMessage(), { namespace: cpe.namespace, id });

  it("reads gzip and deflate request bodies", async () => {
    const cpe = new TestCpe(ingress.url);
    const result = await cpe.post(gzip(informXml(cpe)), { "content-encoding": "gzip" });
    expect(result.status).toBe(200);
    expect(cpe.decodeResult(result).message?.type).toBe("InformResponse");
    expect((await cpe.send({ type: "Empty" })).status).toBe(204);
    const other = new TestCpe(ingress.url);
    const deflated = await other.post(deflateSync(Buffer.from(informXml(other))), { "content-encoding": "deflate" });
    expect(deflated.status).toBe(200);
    cpe.close();
    other.close();
  });

  it("accepts any Content-Type and SOAPAction, or none", async () => {
    const variants: Record<string, string>[] = [
      { "content-type": 'text/html; charset="utf-8"', soapaction: "cwmp:Inform" },
      { "content-type": "text/xml; charset=ISO-8859-1", soapaction: "" },
      { "content-type": "application/octet-stream" },
    ];
    for (const headers of variants) {
      const cpe = new TestCpe(ingress.url);
      expect((await cpe.post(informXml(cpe), headers)).status).toBe(200);
      cpe.close();
    }
    const bare = new TestCpe(ingress.url);
    const xml = informXml(bare);
    const result = await rawRequest(ingress.url, {
      method: "POST",
      path: "/",
      headers: { "content-length": String(Buffer.byteLength(xml)) },
      body: xml,
    });
    expect(result.status).toBe(200);
  });

  // Each seen from a real stack; Fastify alone answers them 415 FST_ERR_CTP_INVALID_MEDIA_TYPE before any parser.
  const MALFORMED_CONTENT_TYPES = ["text/xml charset=utf-8", "xml", '"text/xml"', "text/xml,text/html", ""];

  it("reaches CWMP with the malformed Content-Types CPE stacks send (200, never 415), the empty POST included", async () => {
    for (const contentType of MALFORMED_CONTENT_TYPES) {
      const cpe = new TestCpe(ingress.url);
      const inform = await cpe.post(informXml(cpe), { "content-type": contentType });
      expect(inform.status, `Inform with Content-Type: ${contentType}`).toBe(200);
      expect(cpe.decodeResult(inform).message?.type).toBe("InformResponse");
      const empty = await cpe.post("", { "content-type": contentType });
      expect(empty.status, `empty POST with Content-Type: ${contentType}`).toBe(204);
      cpe.close();
    }
  });

  it("challenges those Content-Types with 401 when credentials are required, never 415", async () => {
    const guarded = await fixture.start({ bootstrapUsername: "boot", bootstrapPassword: "strap" });
    for (const contentType of MALFORMED_CONTENT_TYPES) {
      const cpe = new TestCpe(guarded.url);
      const xml = informXml(cpe);
      const result = await rawRequest(guarded.url, {
        method: "POST",
        path: "/",
        headers: { "content-type": contentType, "content-length": String(Buffer.byteLength(xml)) },
        body: xml,
      });
      expect(result.status, `Content-Type: ${contentType}`).toBe(401);
      cpe.close();
    }
  });

  it("reads RFC 2109 cookies ($Version, $Path, quoted values)", async () => {
    const cpe = new TestCpe(ingress.url, { cookies: false });
    const inform = await cpe.inform();
    const sessionId = /beacon_session=([^;]+)/.exec(inform.headers["set-cookie"]![0]!)![1]!;
    cpe.close();
    // A fresh connection, so that only the cookie can name the session.
    const result = await rawRequest(ingress.url, {
      method: "POST",
      path: "/",
      headers: { cookie: `$Version="0"; beacon_session="${sessionId}"; $Path="/"` },
      body: "",
    });
    expect(result.status).toBe(204);
    const session = await fixture.db.cwmpSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.ended).toBe(true);
  });

  it("keeps a session on one keep-alive connection for a CPE that ignores cookies", async () => {
    const cpe = new TestCpe(ingress.url, { cookies: false });
    expect((await cpe.inform()).status).toBe(200);
    const end = await cpe.send({ type: "Empty" });
    expect(end.status).toBe(204);
    const sessions = await fixture.db.cwmpSession.findMany({
      where: { device: { serialNumber: cpe.serialNumber } },
    });
    expect(sessions.map((s) => s.ended)).toEqual([true]);
    cpe.close();
  });

  it("answers Expect: 100-continue", async () => {
    const cpe = new TestCpe(ingress.url);
    const result = await cpe.post(informXml(cpe), { expect: "100-continue" });
    expect(result.status).toBe(200);
    cpe.close();
  });

  it("takes CWMP on the extra paths of BEACON_CWMP_PATHS", async () => {
    const cpe = new TestCpe(ingress.url, { path: "/acs" });
    expect((await cpe.inform()).status).toBe(200);
    cpe.close();
  });

  it("answers an undecodable body with SOAP Fault 8003 and ends the session", async () => {
    const cpe = new TestCpe(ingress.url);
    await cpe.inform();
    const result = await cpe.post("<soap:Envelope><broken");
    expect(result.status).toBe(500);
    expect(result.body).toContain("<FaultCode>8003</FaultCode>");
    const sessions = await fixture.db.cwmpSession.findMany({ where: { device: { serialNumber: cpe.serialNumber } } });
    expect(sessions.map((s) => s.ended)).toEqual([true]);
    cpe.close();
  });

  it("refuses an XML entity bomb with Fault 8003", async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol3;</soap:Body></soap:Envelope>';
    const result = await rawRequest(ingress.url, {
      method: "POST",
      path: "/",
      body: bomb,
      headers: { "content-type": "text/xml" },
    });
    expect(result.status).toBe(500);
    expect(result.body).toContain("<FaultCode>8003</FaultCode>");
  });

  it("refuses a body over the limit with 413: announced, streamed, or inflated from gzip", async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const announced = await rawRequest(ingress.url, {
      method: "POST",
      path: "/",
      headers: { "content-length": String(big.length), expect: "100-continue" },
    });
    expect(announced.status).toBe(413);
    // The server answers 413 and closes while the client is still writing; whether the client reads the answer
    // before its next write fails (EPIPE) is a race of the two sockets, so a cut upload counts as refused too.
    expect([413, "cut"]).toContain(await streamed(ingress.url, big));
    const bomb = gzip(" ".repeat(20 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    const inflated = await rawRequest(ingress.url, {
      method: "POST",
      path: "/",
      headers: { "content-encoding": "gzip" },
      body: bomb,
    });
    expect(inflated.status).toBe(413);
    // The server is still fine afterwards.
    expect((await rawRequest(ingress.url, { method: "GET", path: "/healthz" })).status).toBe(200);
  });
});

/** Streams a body without Content-Length: the status the server answered with, or "cut" if it closed first. */
function streamed(baseUrl: string, body: Buffer): Promise<number | "cut"> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL("/", baseUrl),
      { method: "POST", headers: { "transfer-encoding": "chunked" } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "EPIPE" || error.code === "ECONNRESET" ? resolve("cut") : reject(error),
    );
    const chunk = 1024 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const ok = request.write(body.subarray(offset, offset + chunk));
        offset += chunk;
        if (!ok) {
          request.once("drain", pump);
          return;
        }
      }
      request.end();
    };
    pump();
  });
}

import { encode } from "@beacon/cwmp";
import Fastify from "fastify";
import { CWMP_NAMESPACE } from "../fleet-identity.ts";

/**
 * The baseline: a bare Fastify handler with canned answers, in the same session shape the driver has with
 * Beacon (401 challenge, InformResponse, 204), and none of Beacon's work (no XML parsing, no Digest check,
 * no database). The driver runs exactly the same sessions against it, so Beacon's throughput can be stated
 * as a share of the bare HTTP round trip on this machine.
 *
 * Usage: node --import tsx bench/src/processes/baseline-server.ts <port>
 */

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1) {
  process.stderr.write("usage: baseline-server.ts <port>\n");
  process.exit(1);
}

const INFORM_RESPONSE = encode({ type: "InformResponse" }, { namespace: CWMP_NAMESPACE, id: "1" });
const NONCE = "0123456789abcdef0123456789abcdef";
const CHALLENGES = ["MD5", "SHA-256"].map(
  (algorithm) => `Digest realm="Beacon CWMP", qop="auth", algorithm=${algorithm}, nonce="${NONCE}", opaque="beacon"`,
);

const app = Fastify({ logger: false, keepAliveTimeout: 30_000 });
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
app.get("/healthz", async () => ({ status: "ok" }));
app.post("/", async (request, reply) => {
  if (!request.headers.authorization && !request.headers.cookie) {
    return reply.code(401).header("www-authenticate", CHALLENGES).header("content-length", "0").send();
  }
  const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
  if (body.length === 0) return reply.code(204).send();
  return reply
    .code(200)
    .header("content-type", 'text/xml; charset="utf-8"')
    .header("set-cookie", "beacon_session=00000000-0000-4000-8000-000000000000; Path=/")
    .send(INFORM_RESPONSE);
});

await app.listen({ port, host: "127.0.0.1" });
const stop = () => void app.close().finally(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

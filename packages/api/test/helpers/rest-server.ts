import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@beacon/db";
import { createApiTokenAuthority, createTenancy } from "@beacon/domain";
import { handleRestRequest } from "../../src/rest/handle-rest-request.ts";

/**
 * The REST API over real HTTP: a node:http server adapts each request to the same fetch-style handler the
 * console's /api/v1 route handler calls, against a real PostgreSQL.
 */
export async function startRestServer(db: Db): Promise<{ url: string; close: () => Promise<void> }> {
  const options = {
    basePath: "/api/v1",
    tenancy: createTenancy(db),
    tokens: createApiTokenAuthority(db),
    onInternalError: (error: unknown) => console.error(error),
  };
  const server: Server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers))
      if (typeof value === "string") headers.set(name, value);
    const method = incoming.method ?? "GET";
    const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const response = await handleRestRequest(request, options);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

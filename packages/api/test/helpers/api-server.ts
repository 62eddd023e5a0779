import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@beacon/db";
import { createTenancy } from "@beacon/domain";
import { handleApiRequest } from "../../src/index.ts";

/** Stands in for the console's session cookie: the tests name the signed-in user in this header. */
export const TEST_USER_HEADER = "x-test-user-id";

export interface ApiServer {
  url: string;
  close: () => Promise<void>;
}

/** The real tRPC fetch handler behind a real HTTP server, as the console mounts it at /api/trpc. */
export async function startApiServer(db: Db, tenancy = createTenancy(db)): Promise<ApiServer> {
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const request = await toFetchRequest(incoming);
      const response = await handleApiRequest(request, {
        endpoint: "/api/trpc",
        tenancy,
        sessionUserId: request.headers.get(TEST_USER_HEADER),
        onInternalError: (error) => console.error(error),
      });
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function toFetchRequest(incoming: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const method = incoming.method ?? "GET";
  return new Request(`http://${incoming.headers.host}${incoming.url}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
}

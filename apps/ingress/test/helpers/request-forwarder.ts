import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ForwardedRequest {
  /** 0 for the first request the forwarder received. */
  index: number;
  target: string;
  status: number;
  /** Whether the request carried a cookie (the CWMP session cookie). */
  cookie: boolean;
  /** The answer has been passed on in full. */
  delivered: boolean;
}

export interface RequestForwarder {
  url: string;
  readonly log: readonly ForwardedRequest[];
  close(): Promise<void>;
}

/**
 * A tiny reverse proxy standing between a CPE and several ingress processes: request n goes to route(n), on a
 * connection of its own, with its headers (cookie, authorization, host) and body untouched, so nothing but the
 * database ties the requests of one session together. A dead target answers 502.
 */
export async function startRequestForwarder(route: (index: number) => string): Promise<RequestForwarder> {
  const log: ForwardedRequest[] = [];
  let count = 0;
  const server = http.createServer((request, response) => {
    const index = count++;
    const target = route(index);
    const entry: ForwardedRequest = {
      index,
      target,
      status: 0,
      cookie: Boolean(request.headers.cookie),
      delivered: false,
    };
    response.on("finish", () => {
      entry.delivered = true;
    });
    log.push(entry);
    const upstream = http.request(
      new URL(request.url ?? "/", target),
      { method: request.method, headers: request.headers, agent: false },
      (answer) => {
        entry.status = answer.statusCode ?? 0;
        response.writeHead(entry.status, answer.rawHeaders);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      entry.status = 502;
      if (!response.headersSent) response.writeHead(502, { "content-length": "0" });
      response.end();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

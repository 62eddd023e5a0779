import type { IncomingMessage } from "node:http";

/**
 * How a CPE's connection-request server reads the request. "any-case": as HTTP says, header names in any case.
 * "exact": as CPE firmware that parses HTTP by hand does, e.g. an OpenWrt CPE agent in C that looks for the
 * exact text "Authorization: Digest " (or "Authorization: Basic "), and sees no credentials in `authorization:`
 * (what fetch sends) or `Authorization: digest`.
 */
export type HeaderParsing = "any-case" | "exact";

/** The Authorization header as such a server finds it; undefined when it would find none. */
export function authorizationAsParsed(request: IncomingMessage, parsing: HeaderParsing): string | undefined {
  if (parsing === "any-case") return request.headers.authorization;
  const raw = request.rawHeaders;
  for (let k = 0; k + 1 < raw.length; k += 2) {
    const value = raw[k + 1] as string;
    if (raw[k] === "Authorization" && /^(Digest|Basic) /.test(value)) return value;
  }
  return undefined;
}

import type { ApiTokenAuthentication, ApiTokenAuthority, ApiTokenRef, Tenancy } from "@beacon/domain";
import { openApiDocument } from "./openapi.ts";
import { asSentence, INTERNAL_PROBLEM, type Problem, problemOf, problemResponse, toJson } from "./problems.ts";
import type { RestRoute } from "./route.ts";
import { REST_ROUTES } from "./routes.ts";

export interface RestRequestOptions {
  /** Where the API is mounted, e.g. "/api/v1". */
  basePath: string;
  tenancy: Tenancy;
  tokens: ApiTokenAuthority;
  /** Called with unexpected (500) errors, which the caller only sees as a generic sentence. */
  onInternalError?: (error: unknown, operation: string | null) => void;
}

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  names: string[];
}

/** "/devices/{deviceId}/tasks" -> ^/devices/([^/]+)/tasks$, capturing deviceId. */
function compile(route: RestRoute): CompiledRoute {
  const names: string[] = [];
  const segments = route.path.split("/").map((segment) => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (!name) return segment.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
    names.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${segments.join("/")}$`), names };
}

const COMPILED = REST_ROUTES.map(compile);

type Match =
  | { kind: "route"; route: RestRoute; params: Record<string, string> }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

function match(method: string, path: string): Match {
  const allowed: string[] = [];
  for (const { route, pattern, names } of COMPILED) {
    const found = pattern.exec(path);
    if (!found) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    try {
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1]!);
      });
    } catch {
      return { kind: "none" };
    }
    return { kind: "route", route, params };
  }
  return allowed.length ? { kind: "method", allowed } : { kind: "none" };
}

function json(body: unknown, status: number): Response {
  return new Response(toJson(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

function unauthorized(authentication: Extract<ApiTokenAuthentication, { ok: false }>): Response {
  const challenge =
    authentication.reason === "missing"
      ? 'Bearer realm="beacon"'
      : `Bearer realm="beacon", error="invalid_token", error_description="${authentication.reason}"`;
  return problemResponse(
    { status: 401, detail: asSentence(authentication.message) },
    { "www-authenticate": challenge },
  );
}

async function readBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; problem: Problem }> {
  if (request.method === "GET" || request.method === "HEAD") return { ok: true, body: undefined };
  const text = await request.text();
  if (!text.trim()) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: { status: 400, detail: "The request body is not valid JSON." } };
  }
}

/**
 * Answers one HTTP request to the REST API. The OpenAPI document is public; everything else needs a token, is
 * limited by the token's scope and role exactly as the console is, and is audited on the token's domain.
 */
export async function handleRestRequest(request: Request, options: RestRequestOptions): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.startsWith(options.basePath) ? url.pathname.slice(options.basePath.length) || "/" : null;
  if (path === "/openapi.json" && request.method === "GET") {
    return new Response(toJson(openApiDocument), {
      headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
    });
  }
  try {
    return await answerTokenRequest(request, url, path, options);
  } catch (error) {
    // The database failing while a token is checked or a call is audited.
    const problem = problemOf(error);
    if (!problem) options.onInternalError?.(error, null);
    return problemResponse(problem ?? INTERNAL_PROBLEM);
  }
}

async function answerTokenRequest(
  request: Request,
  url: URL,
  path: string | null,
  options: RestRequestOptions,
): Promise<Response> {
  const authentication = await options.tokens.authenticate(request.headers.get("authorization"));
  const found: Match = path === null ? { kind: "none" } : match(request.method, path);
  const operation = found.kind === "route" ? found.route.operationId : null;
  const audit = async (token: ApiTokenRef | null, response: Response) => {
    if (!token) return response;
    try {
      await options.tokens.recordCall(token, {
        method: request.method,
        path: url.pathname,
        operation,
        status: response.status,
      });
    } catch (error) {
      options.onInternalError?.(error, operation);
    }
    return response;
  };

  if (!authentication.ok) return audit(authentication.token, unauthorized(authentication));
  const { token, access } = authentication;
  if (found.kind === "none") {
    return audit(token, problemResponse({ status: 404, detail: `There is no ${request.method} ${url.pathname}.` }));
  }
  if (found.kind === "method") {
    const allowed = [...new Set(found.allowed)].join(", ");
    return audit(
      token,
      problemResponse(
        { status: 405, detail: `${url.pathname} answers ${allowed}, not ${request.method}.` },
        { allow: allowed },
      ),
    );
  }

  const body = await readBody(request);
  if (!body.ok) return audit(token, problemResponse(body.problem));
  const ctx = { tenancy: options.tenancy, access, db: options.tenancy.scope(access), token };
  try {
    const result = await found.route.run(ctx, {
      params: found.params,
      query: Object.fromEntries(url.searchParams),
      body: body.body,
    });
    return audit(token, json(result, found.route.status));
  } catch (error) {
    const problem = problemOf(error);
    if (!problem) options.onInternalError?.(error, operation);
    return audit(token, problemResponse(problem ?? INTERNAL_PROBLEM));
  }
}

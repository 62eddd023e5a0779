import type { ApiTokenAuthentication, ApiTokenAuthority, ApiTokenRef, Tenancy } from "@beacon/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { asSentence, INTERNAL_PROBLEM, type Problem, problemOf, problemResponse, toJson } from "../errors.ts";
import { appRouter } from "../root.ts";
import { type ApiContext, createCallerFactory } from "../trpc.ts";
import { openApiDocument } from "./openapi.ts";
import { fieldsOf, fromJson, fromQuery, REST_OPERATIONS, type RestOperation } from "./operations.ts";

export interface RestRequestOptions {
  /** Where the API is mounted, e.g. "/api/v1". */
  basePath: string;
  tenancy: Tenancy;
  tokens: ApiTokenAuthority;
  /** Called with unexpected (500) errors, which the caller only sees as a generic sentence. */
  onInternalError?: (error: unknown, operation: string | null) => void;
}

interface CompiledOperation {
  operation: RestOperation;
  pattern: RegExp;
}

/** "/devices/{deviceId}/tasks" -> ^/devices/([^/]+)/tasks$. */
function compile(operation: RestOperation): CompiledOperation {
  const segments = operation.path
    .split("/")
    .map((segment) => (/^\{\w+\}$/.test(segment) ? "([^/]+)" : segment.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")));
  return { operation, pattern: new RegExp(`^${segments.join("/")}$`) };
}

// Literal paths before templated ones, so that /sites/{siteId}/rooms/range is not read as a room number.
const COMPILED = REST_OPERATIONS.map(compile).sort(
  (a, b) => (a.operation.path.match(/\{/g)?.length ?? 0) - (b.operation.path.match(/\{/g)?.length ?? 0),
);
const createCaller = createCallerFactory(appRouter);

type Match =
  | { kind: "operation"; operation: RestOperation; params: Record<string, string> }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

function match(method: string, path: string): Match {
  const allowed: string[] = [];
  for (const { operation, pattern } of COMPILED) {
    const found = pattern.exec(path);
    if (!found) continue;
    if (operation.method !== method) {
      allowed.push(operation.method);
      continue;
    }
    const params: Record<string, string> = {};
    try {
      operation.pathParams.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1]!);
      });
    } catch {
      return { kind: "none" };
    }
    return { kind: "operation", operation, params };
  }
  return allowed.length ? { kind: "method", allowed } : { kind: "none" };
}

function unauthorized(authentication: Extract<ApiTokenAuthentication, { ok: false }>): Response {
  const challenge =
    authentication.reason === "missing"
      ? 'Bearer realm="beacon"'
      : `Bearer realm="beacon", error="invalid_token", error_description="${authentication.reason}"`;
  return problemResponse(
    { code: "unauthenticated", detail: asSentence(authentication.message) },
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
    return { ok: false, problem: { code: "invalid_json", detail: "The request body is not valid JSON." } };
  }
}

/** The procedure's input from the path, the query string (GET) or the JSON body (the rest). */
function inputOf(operation: RestOperation, params: Record<string, string>, url: URL, body: unknown): unknown {
  if (!operation.input) return undefined;
  const fields = fieldsOf(operation.input);
  const fromPath = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, fromQuery(fields[k], [v])]));
  if (operation.method === "GET") {
    const query: Record<string, unknown> = {};
    for (const name of new Set(url.searchParams.keys())) {
      // The first release of the API named a domain filter domainId; the procedures' inputs call it tenantId.
      const field = name === "domainId" && fields.tenantId && !fields.domainId ? "tenantId" : name;
      query[field] = fromQuery(fields[field], url.searchParams.getAll(name));
    }
    return { ...query, ...fromPath };
  }
  if (operation.bodyField) {
    return { [operation.bodyField]: fromJson(fields[operation.bodyField], body ?? {}), ...fromPath };
  }
  const json = fromJson(operation.input, body ?? {});
  return typeof json === "object" && json !== null && !Array.isArray(json) ? { ...json, ...fromPath } : json;
}

function json(body: unknown, status: number): Response {
  if (body === undefined || status === 204) {
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  }
  return new Response(toJson(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

/**
 * Answers one HTTP request to the REST API. The OpenAPI document is public; everything else needs a token and runs
 * the same tRPC procedure the console calls, as the token (its domain, and its role capped by its creator's), and
 * is audited on the token's domain.
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
  const operation = found.kind === "operation" ? found.operation.operationId : null;
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
    return audit(
      token,
      problemResponse({ code: "not_found", detail: `There is no ${request.method} ${url.pathname}.` }),
    );
  }
  if (found.kind === "method") {
    const allowed = [...new Set(found.allowed)].join(", ");
    return audit(
      token,
      problemResponse(
        { code: "method_not_allowed", detail: `${url.pathname} answers ${allowed}, not ${request.method}.` },
        { allow: allowed },
      ),
    );
  }

  const body = await readBody(request);
  if (!body.ok) return audit(token, problemResponse(body.problem));
  const context: ApiContext = { tenancy: options.tenancy, sessionUserId: null, apiToken: { token, access } };
  try {
    const input = inputOf(found.operation, found.params, url, body.body);
    const procedure = found.operation.procedure
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(context)) as (
      input: unknown,
    ) => Promise<unknown>;
    const result = await procedure(input);
    return audit(token, json(result, found.operation.status));
  } catch (error) {
    const problem = problemOf(asSentByCaller(error, found.operation));
    if (!problem) options.onInternalError?.(error, operation);
    return audit(token, problemResponse(problem ?? INTERNAL_PROBLEM));
  }
}

/** When the body is one input field, a problem in it is named as the caller sent it: "kind", not "action.kind". */
function asSentByCaller(error: unknown, operation: RestOperation): unknown {
  const field = operation.bodyField;
  if (!field || !(error instanceof TRPCError) || !(error.cause instanceof z.ZodError)) return error;
  return new z.ZodError(
    error.cause.issues.map((issue) => (issue.path[0] === field ? { ...issue, path: issue.path.slice(1) } : issue)),
  );
}

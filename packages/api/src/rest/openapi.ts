import {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_FIELDS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_RETRY_WINDOW_MS,
} from "@beacon/domain";
import { z } from "zod";
import type { RestRoute } from "./route.ts";
import { REST_ROUTES } from "./routes.ts";
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from "./schemas.ts";

/**
 * The OpenAPI 3.1 document of the REST API, built from the route table and its zod schemas (z.toJSONSchema), so it
 * cannot drift from what the handlers parse. Served at /api/v1/openapi.json.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Drops what only clutters a document: $schema/$id, regexes where a format says it, strictness of answers. */
function tidy(schema: unknown, answer: boolean): Json {
  if (Array.isArray(schema)) return schema.map((item) => tidy(item, answer));
  if (typeof schema !== "object" || schema === null) return schema as Json;
  const out: JsonObject = {};
  const record = schema as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === "$schema" || key === "$id") continue;
    if (key === "pattern" && typeof record.format === "string") continue;
    if (key === "maximum" && value === Number.MAX_SAFE_INTEGER) continue;
    if (key === "minimum" && value === Number.MIN_SAFE_INTEGER) continue;
    // Answers may gain fields; a client should not reject them.
    if (answer && key === "additionalProperties" && value === false) continue;
    out[key] = tidy(value, answer);
  }
  return out;
}

function components(): JsonObject {
  const answers = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) answers.add(schema, { id: name });
  const { schemas: answerSchemas } = z.toJSONSchema(answers, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
  });
  const schemas: JsonObject = {};
  for (const [name, schema] of Object.entries(answerSchemas)) schemas[name] = tidy(schema, true);
  for (const [name, schema] of Object.entries(REQUEST_SCHEMAS)) {
    schemas[name] = tidy(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }), false);
  }
  return schemas;
}

function nameOfSchema(schema: z.ZodType, table: Record<string, z.ZodType>): string {
  const entry = Object.entries(table).find(([, candidate]) => candidate === schema);
  if (!entry) throw new Error("every REST schema must be listed in RESPONSE_SCHEMAS or REQUEST_SCHEMAS");
  return entry[0];
}

function parametersOf(schema: z.ZodObject | undefined, location: "path" | "query"): Json[] {
  if (!schema) return [];
  const json = tidy(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }), false) as JsonObject;
  const properties = (json.properties ?? {}) as JsonObject;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property as JsonObject;
    return {
      name,
      in: location,
      required: location === "path" || (required.has(name) && !("default" in rest)),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const PROBLEM = { "application/problem+json": { schema: REF("Problem") } };
const ERROR_RESPONSES = {
  "400": { description: "The input is not valid; `errors` names each field's problem.", content: PROBLEM },
  "401": {
    description: "No token, or a token that is unknown, expired or revoked; `detail` says which.",
    content: PROBLEM,
  },
  "403": { description: "The token's role does not allow this; `detail` says what was refused.", content: PROBLEM },
  "404": {
    description: "Not found, or outside the token's domain (the two are indistinguishable).",
    content: PROBLEM,
  },
};

function operation(route: RestRoute): JsonObject {
  const permission = route.permission ? `\n\nNeeds the permission \`${route.permission}\`.` : "";
  const needs = !route.permission && route.needs ? `\n\nNeeds ${route.needs}.` : "";
  const responseName = nameOfSchema(route.response, RESPONSE_SCHEMAS);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description || permission || needs
      ? { description: `${route.description ?? ""}${permission}${needs}`.trim() }
      : {}),
    parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: REF(nameOfSchema(route.body, REQUEST_SCHEMAS)) } },
          },
        }
      : {}),
    responses: {
      [String(route.status)]: {
        description: route.status === 201 ? "Created." : "OK.",
        content: { "application/json": { schema: REF(responseName) } },
      },
      ...ERROR_RESPONSES,
    },
  };
}

function webhookOperations(): JsonObject {
  const out: JsonObject = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    const data: JsonObject = {
      domainId: { type: "string", format: "uuid" },
      deviceId: { type: ["string", "null"], format: "uuid" },
    };
    for (const field of WEBHOOK_EVENT_FIELDS[type]) {
      data[field] = field === "faultCode" ? { type: ["integer", "null"] } : { type: ["string", "null"] };
    }
    out[type] = {
      post: {
        summary: WEBHOOK_EVENT_DESCRIPTIONS[type],
        parameters: [
          { name: "webhook-id", in: "header", required: true, schema: { type: "string" } },
          { name: "webhook-timestamp", in: "header", required: true, schema: { type: "string" } },
          { name: "webhook-signature", in: "header", required: true, schema: { type: "string" } },
        ],
        requestBody: {
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["type", "timestamp", "data"],
                properties: {
                  type: { const: type },
                  timestamp: { type: "string", format: "date-time" },
                  data: { type: "object", properties: data },
                },
              },
            },
          },
        },
        responses: {
          "2XX": { description: "Received. Anything else is retried; 410 Gone disables the webhook." },
        },
      },
    };
  }
  return out;
}

const DESCRIPTION = `Beacon's console operations for integrators' programs.

**Authentication.** Every call but this document needs an API token, created by an owner of a domain in the console (API & webhooks) with a role and an expiry: \`Authorization: Bearer bcn_…\`. A token reaches its domain and every domain below it and can do what its role can, never more than the person who created it can now. Every call is recorded in the domain's audit log as \`token:<prefix>\`.

**Errors** are RFC 9457 problem documents: 400 invalid input (with \`errors\` per field), 401 missing, unknown, expired or revoked token, 403 the token's role does not allow it, 404 not found or outside the token's domain (never told apart), 409 conflict.

**Pagination.** Lists that can be long take \`page\` (from 1) and \`pageSize\` and answer \`total\`.

**Webhooks** (see \`webhooks\`) follow the Standard Webhooks specification: headers \`webhook-id\` (also the idempotency key: the same for every retry), \`webhook-timestamp\` (seconds) and \`webhook-signature\` (\`v1,<base64 HMAC-SHA256>\` of \`<id>.<timestamp>.<body>\` keyed by the base64 part of the \`whsec_\` secret; two space-separated signatures while a secret is being rotated). Payloads are thin: ids to fetch through this API. A delivery that gets no 2xx answer is retried with exponential backoff and jitter for ${WEBHOOK_RETRY_WINDOW_MS / 3_600_000} hours; 410 Gone disables the webhook.`;

export function buildOpenApiDocument(routes: readonly RestRoute[]): JsonObject {
  const paths: JsonObject = {
    "/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["Documentation"],
        summary: "This document",
        security: [],
        responses: { "200": { description: "The OpenAPI 3.1 document.", content: { "application/json": {} } } },
      },
    },
  };
  for (const route of routes) {
    const item = (paths[route.path] ?? {}) as JsonObject;
    item[route.method.toLowerCase()] = operation(route);
    paths[route.path] = item;
  }
  return {
    openapi: "3.1.0",
    info: { title: "Beacon REST API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/api/v1", description: "This Beacon" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Token" },
      { name: "Domains" },
      { name: "Devices" },
      { name: "Tasks" },
      { name: "Audit" },
      { name: "Hotels", description: "For property-management systems." },
      { name: "Documentation" },
    ],
    paths,
    webhooks: webhookOperations(),
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "bcn_<prefix>_<secret>" },
      },
      schemas: components(),
    },
  };
}

export const openApiDocument = buildOpenApiDocument(REST_ROUTES);

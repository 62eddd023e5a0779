import {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_FIELDS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_RETRY_WINDOW_MS,
} from "@beacon/domain";
import { z } from "zod";
import { PROBLEM_CODES } from "../errors.ts";
import { fieldsOf, REST_OPERATIONS, type RestOperation } from "./operations.ts";
import { Problem } from "./schemas.ts";

/**
 * The OpenAPI 3.1 document of the REST API, generated from the tRPC procedures' REST meta and their zod input
 * schemas (z.toJSONSchema), so it cannot drift from what the procedures parse. Served at /api/v1/openapi.json.
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

/** JSON Schema of a zod schema; dates travel as ISO 8601 strings, in and out. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    reused: "inline",
    cycles: "throw",
    override: ({ zodSchema, jsonSchema }) => {
      const type = (zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def.type;
      if (type === "date") Object.assign(jsonSchema, { type: "string", format: "date-time" });
    },
  });
  return tidy(json, io === "output") as JsonObject;
}

function withoutFields(schema: JsonObject, names: readonly string[]): JsonObject {
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const key = Array.isArray(schema.anyOf) ? "anyOf" : "oneOf";
    return { ...schema, [key]: (schema[key] as JsonObject[]).map((member) => withoutFields(member, names)) };
  }
  const properties = { ...((schema.properties ?? {}) as JsonObject) };
  for (const name of names) delete properties[name];
  const required = ((schema.required ?? []) as string[]).filter((name) => !names.includes(name));
  return { ...schema, properties, ...(schema.required ? { required } : {}) };
}

function parameters(operation: RestOperation): Json[] {
  const fields = fieldsOf(operation.input);
  const out: Json[] = [];
  for (const name of operation.pathParams) {
    const field = fields[name];
    if (!field) throw new Error(`${operation.procedure}: {${name}} is not a field of its input`);
    const { description, ...schema } = jsonSchemaOf(field, "input");
    out.push({ name, in: "path", required: true, ...(description ? { description } : {}), schema });
  }
  if (operation.method !== "GET") return out;
  // One of several shapes (e.g. a site or a room): each field is needed only in its own shape.
  const oneOfShapes = operation.input ? "anyOf" in jsonSchemaOf(operation.input, "input") : false;
  for (const [name, field] of Object.entries(fields)) {
    if (operation.pathParams.includes(name)) continue;
    const { description, ...schema } = jsonSchemaOf(field, "input");
    const required = !oneOfShapes && !field.safeParse(undefined).success;
    out.push({ name, in: "query", required, ...(description ? { description } : {}), schema });
  }
  return out;
}

function requestBody(operation: RestOperation): JsonObject | null {
  if (operation.method === "GET" || !operation.input) return null;
  let schema: JsonObject;
  if (operation.bodyField) {
    const field = fieldsOf(operation.input)[operation.bodyField];
    if (!field) throw new Error(`${operation.procedure}: bodyField ${operation.bodyField} is not a field of its input`);
    schema = jsonSchemaOf(field, "input");
  } else {
    schema = withoutFields(jsonSchemaOf(operation.input, "input"), operation.pathParams);
    const properties = (schema.properties ?? {}) as JsonObject;
    if (!schema.anyOf && !schema.oneOf && Object.keys(properties).length === 0) return null;
  }
  const needed = Boolean(schema.anyOf || schema.oneOf) || ((schema.required ?? []) as string[]).length > 0;
  return { required: needed, content: { "application/json": { schema } } };
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
  "409": { description: "It conflicts with what exists (a name or number taken).", content: PROBLEM },
};

function operationObject(operation: RestOperation): JsonObject {
  const permission = operation.permission ? `\n\nNeeds the permission \`${operation.permission}\`.` : "";
  const needs = !operation.permission && operation.needs ? `\n\nNeeds ${operation.needs}.` : "";
  const body = requestBody(operation);
  const description = `${operation.description ?? ""}${permission}${needs}`.trim();
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    ...(description ? { description } : {}),
    parameters: parameters(operation),
    ...(body ? { requestBody: body } : {}),
    responses: {
      [String(operation.status)]:
        operation.status === 204
          ? { description: "Done; nothing to answer." }
          : {
              description: operation.status === 201 ? "Created." : "OK.",
              content: {
                "application/json": { schema: operation.response ? jsonSchemaOf(operation.response, "output") : {} },
              },
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

**Errors** are RFC 9457 problem documents (\`application/problem+json\`) with a stable \`code\` a program may switch on and a \`detail\` sentence for people: ${Object.entries(
  PROBLEM_CODES,
)
  .map(([code, { status }]) => `${status} \`${code}\``)
  .join(
    ", ",
  )}. A 404 never tells a missing thing from one outside the token's domain; \`invalid_input\` carries \`errors\` per field.

**Pagination.** Lists that can be long take \`page\` (from 1) and \`pageSize\` and answer \`total\`.

**Webhooks** (see \`webhooks\`) follow the Standard Webhooks specification: headers \`webhook-id\` (also the idempotency key: the same for every retry), \`webhook-timestamp\` (seconds) and \`webhook-signature\` (\`v1,<base64 HMAC-SHA256>\` of \`<id>.<timestamp>.<body>\` keyed by the base64 part of the \`whsec_\` secret; two space-separated signatures while a secret is being rotated). Payloads are thin: ids to fetch through this API. A delivery that gets no 2xx answer is retried with exponential backoff and jitter for ${WEBHOOK_RETRY_WINDOW_MS / 3_600_000} hours; 410 Gone disables the webhook.`;

/** The firmware upload streams its body to disk, so it is a route of its own (/api/firmware), not a procedure. */
const FIRMWARE_UPLOAD: JsonObject = {
  servers: [{ url: "/api", description: "The upload is served beside the API, at /api/firmware" }],
  post: {
    operationId: "uploadFirmware",
    tags: ["Firmware"],
    summary: "Upload a firmware image: the raw image as the body, streamed to disk and hashed on the way",
    description:
      "Needs the permission `firmware.manage` on the domain. The largest image accepted is BEACON_FIRMWARE_MAX_BYTES (413 above it). Start a campaign with the answer's `id` (createCampaign).",
    parameters: [
      { name: "tenantId", in: "query", required: true, schema: { type: "string", format: "uuid" } },
      { name: "name", in: "query", required: true, schema: { type: "string" } },
      { name: "vendor", in: "query", required: false, schema: { type: "string" } },
      { name: "version", in: "query", required: true, schema: { type: "string" } },
      {
        name: "productClasses",
        in: "query",
        required: true,
        description: "The product classes the image is for, comma-separated.",
        schema: { type: "string" },
      },
    ],
    requestBody: {
      required: true,
      content: {
        "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
      },
    },
    responses: {
      "201": {
        description: "Stored.",
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                id: { type: "string", format: "uuid" },
                name: { type: "string" },
                size: { type: "integer" },
                sha256: { type: "string" },
                vendor: { type: "string" },
                version: { type: "string" },
                productClasses: { type: "array", items: { type: "string" } },
              },
            },
          },
        },
      },
      ...ERROR_RESPONSES,
      "413": { description: "The image is larger than Beacon accepts.", content: PROBLEM },
    },
  },
};

export function buildOpenApiDocument(operations: readonly RestOperation[]): JsonObject {
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
  paths["/firmware"] = FIRMWARE_UPLOAD;
  const tags = new Set<string>(["Firmware"]);
  for (const operation of operations) {
    const item = (paths[operation.path] ?? {}) as JsonObject;
    const method = operation.method.toLowerCase();
    if (item[method]) throw new Error(`${operation.method} ${operation.path} is served by two procedures`);
    item[method] = operationObject(operation);
    paths[operation.path] = item;
    tags.add(operation.tag);
  }
  return {
    openapi: "3.1.0",
    info: { title: "Beacon REST API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/api/v1", description: "This Beacon" }],
    security: [{ bearerAuth: [] }],
    tags: [...[...tags].map((name) => ({ name })), { name: "Documentation" }],
    paths,
    webhooks: webhookOperations(),
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "bcn_<prefix>_<secret>" },
      },
      schemas: { Problem: jsonSchemaOf(Problem, "output") },
    },
  };
}

export const openApiDocument = buildOpenApiDocument(REST_OPERATIONS);

import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../src/rest/openapi.ts";
import { listProcedures, REST_OPERATIONS } from "../src/rest/operations.ts";

/**
 * The REST API is the tRPC router seen another way: every procedure is either an operation of the OpenAPI document
 * or says why it is for the console alone, and the document generated from them is a valid OpenAPI 3.1 document.
 */

type Operation = { operationId: string; parameters: { name: string; in: string; schema: { type?: unknown } }[] };
const paths = openApiDocument.paths as Record<string, Record<string, Operation>>;

describe("the REST API's coverage of the tRPC procedures", () => {
  it("serves every procedure over REST, or names the reason it is for the console alone", () => {
    const unaccounted: string[] = [];
    for (const procedure of listProcedures()) {
      const rest = procedure.meta?.rest;
      const consoleOnly = procedure.meta?.consoleOnly?.trim();
      if (rest && consoleOnly) unaccounted.push(`${procedure.path}: both REST and console-only`);
      else if (consoleOnly) expect(consoleOnly.length, procedure.path).toBeGreaterThan(20);
      else if (!rest) unaccounted.push(`${procedure.path}: neither REST nor console-only`);
      else {
        const operation = paths[rest.path]?.[rest.method.toLowerCase()];
        if (!operation) unaccounted.push(`${procedure.path}: ${rest.method} ${rest.path} is not in the document`);
      }
    }
    expect(unaccounted).toEqual([]);
  });

  it("gives each operation its own operationId and method and path", () => {
    const ids = REST_OPERATIONS.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const routes = REST_OPERATIONS.map((o) => `${o.method} ${o.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    for (const operation of REST_OPERATIONS) {
      expect(operation.path, operation.procedure).toMatch(/^\/[a-z0-9{}/-]*[a-z}]$/i);
      if (operation.method !== "GET") expect(operation.kind, operation.procedure).toBe("mutation");
      else expect(operation.kind, operation.procedure).toBe("query");
    }
  });

  it("takes GET input only as path and query parameters a URL can carry", () => {
    for (const operation of REST_OPERATIONS.filter((o) => o.method === "GET")) {
      const item = paths[operation.path]!.get!;
      for (const parameter of item.parameters) {
        const type = parameter.schema.type;
        expect(type === "object", `${operation.procedure}: ${parameter.name}`).toBe(false);
      }
    }
  });
});

describe("the OpenAPI document", () => {
  it("validates against the OpenAPI 3.1 schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(openApiDocument));
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // The validator is no rubber stamp: the same document with an operation lacking its answers is refused.
    const broken = structuredClone(openApiDocument) as { paths: Record<string, Record<string, object>> };
    broken.paths["/devices"]!.get = { operationId: "listDevices", responses: "none" };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("documents errors as problem documents, and the permission each operation needs", () => {
    const METHODS = new Set(["get", "post", "patch", "delete"]);
    for (const item of Object.values(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.has(method) || operation.operationId === "getOpenApiDocument") continue;
        expect(JSON.stringify(operation), operation.operationId).toContain("application/problem+json");
      }
    }
    for (const operation of REST_OPERATIONS) {
      const documented = paths[operation.path]![operation.method.toLowerCase()] as Operation & { description?: string };
      const needs = operation.permission ?? operation.needs;
      if (needs) expect(documented.description, operation.procedure).toContain(needs);
    }
  });
});

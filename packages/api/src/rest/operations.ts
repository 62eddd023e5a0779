import type { z } from "zod";
import type { ApiMeta, RestMeta } from "../meta.ts";
import { appRouter } from "../root.ts";

/**
 * The REST API's operations, read off the tRPC router: every procedure whose meta has `rest` is one operation, with
 * the procedure's own input schema, permission checks and domain call. Nothing here is defined twice.
 */

export interface RestOperation extends RestMeta {
  /** The procedure's path in the router, e.g. "devices.get". */
  procedure: string;
  kind: "query" | "mutation";
  operationId: string;
  status: 200 | 201 | 204;
  /** The procedure's input, or null when it takes none. */
  input: z.ZodType | null;
  /** Names of the path's {parameters}, in order. */
  pathParams: string[];
}

export interface ProcedureInfo {
  path: string;
  kind: "query" | "mutation" | "subscription";
  meta: ApiMeta | undefined;
}

type ProcedureDef = { type: "query" | "mutation" | "subscription"; meta?: ApiMeta; inputs: unknown[] };

function definitions(): [string, ProcedureDef][] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>;
  return Object.entries(procedures).map(([path, procedure]) => [path, procedure._def]);
}

/** Every procedure of the API with what it says of itself. */
export function listProcedures(): ProcedureInfo[] {
  return definitions().map(([path, def]) => ({ path, kind: def.type, meta: def.meta }));
}

const camel = (path: string) =>
  path
    .split(".")
    .map((part, i) => (i === 0 ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join("");

function buildOperations(): RestOperation[] {
  const operations: RestOperation[] = [];
  for (const [path, def] of definitions()) {
    const rest = def.meta?.rest;
    if (!rest || def.type === "subscription") continue;
    if (def.inputs.length > 1) throw new Error(`${path}: a REST procedure takes one input schema`);
    const input = (def.inputs[0] as z.ZodType | undefined) ?? null;
    const pathParams = [...rest.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    operations.push({
      ...rest,
      procedure: path,
      kind: def.type,
      operationId: rest.operationId ?? camel(path),
      status: rest.status ?? 200,
      input,
      pathParams,
    });
  }
  return operations;
}

export const REST_OPERATIONS: readonly RestOperation[] = buildOperations();

// ---- Reading a zod schema's shape, to coerce query strings and JSON dates into what the input parses.

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Optional, default, nullable, pipes and the like removed: the type that finally parses a value. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else if (def.type === "lazy" && def.getter) current = def.getter();
    else return current;
  }
  return current;
}

/** The fields of an object schema, or of every object of a union, merged. */
export function fieldsOf(schema: z.ZodType | null): Record<string, z.ZodType> {
  if (!schema) return {};
  const def = defOf(unwrap(schema));
  if (def.type === "object" && def.shape) return def.shape;
  if (def.type === "union" && def.options) return Object.assign({}, ...def.options.map((option) => fieldsOf(option)));
  return {};
}

/** A query parameter's text as the value its schema parses: numbers, booleans, dates and repeated arrays. */
export function fromQuery(schema: z.ZodType | undefined, values: string[]): unknown {
  if (!schema) return values[0];
  const def = defOf(unwrap(schema));
  if (def.type === "array") return values.map((value) => fromQuery(def.element, [value]));
  const value = values[values.length - 1]!;
  switch (def.type) {
    case "number":
    case "int":
      return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    case "boolean":
      return value === "true" ? true : value === "false" ? false : value;
    case "date":
      return fromJson(schema, value);
    default:
      return value;
  }
}

/** JSON has no dates: a string where the schema takes a date is read as an ISO 8601 time. */
export function fromJson(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema || value === null || value === undefined) return value;
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case "date": {
      if (typeof value !== "string") return value;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    case "object":
    case "union": {
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const fields = fieldsOf(schema);
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, fromJson(fields[key], v)]));
    }
    case "array":
      return Array.isArray(value) ? value.map((item) => fromJson(def.element, item)) : value;
    case "record":
      if (typeof value !== "object" || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, fromJson(def.valueType, v)]));
    default:
      return value;
  }
}

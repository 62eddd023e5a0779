import type { AuthenticatedApiToken, Permission, ScopedDb, Tenancy, TenantAccess } from "@beacon/domain";
import { z } from "zod";

/** What a REST handler gets: the token's access and the database as that access may see it, as tRPC's ctx. */
export interface RestContext {
  tenancy: Tenancy;
  access: TenantAccess;
  db: ScopedDb;
  token: AuthenticatedApiToken;
}

export interface RawInput {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** One operation of the REST API: how it is called, documented, and what it does. */
export interface RestRoute {
  method: "GET" | "POST";
  /** OpenAPI path template below /api/v1, e.g. "/devices/{deviceId}". */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** The permission the token's role needs on the target's domain; documented, enforced by the domain function. */
  permission?: Permission;
  /** What the documentation says the token needs when no single permission does. */
  needs?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  status: 200 | 201;
  response: z.ZodType;
  /** Parses the input with the schemas above and runs the operation; a ZodError means a 400. */
  run(ctx: RestContext, input: RawInput): Promise<unknown>;
}

const None = z.object({});
type None = typeof None;

interface RouteDefinition<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>
  extends Omit<RestRoute, "run" | "params" | "query" | "body" | "status"> {
  params?: P;
  query?: Q;
  body?: B;
  status?: 200 | 201;
  handle(ctx: RestContext, input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }): Promise<unknown>;
}

/** A typed route: the handler sees its parsed input, the table sees a uniform RestRoute. */
export function route<P extends z.ZodObject = None, Q extends z.ZodObject = None, B extends z.ZodType = None>(
  definition: RouteDefinition<P, Q, B>,
): RestRoute {
  const { handle, ...rest } = definition;
  return {
    ...rest,
    status: definition.status ?? 200,
    run: (ctx, raw) => {
      const params = (definition.params ?? None).parse(raw.params) as z.output<P>;
      const query = (definition.query ?? None).parse(raw.query) as z.output<Q>;
      const body = (definition.body ?? z.unknown()).parse(raw.body ?? {}) as z.output<B>;
      return handle(ctx, { params, query, body });
    },
  };
}

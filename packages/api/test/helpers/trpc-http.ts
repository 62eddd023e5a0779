import superjson from "superjson";
import { TEST_USER_HEADER } from "./api-server.ts";

export interface ApiAnswer {
  status: number;
  /** The raw response text: what a caller could learn from the answer. */
  text: string;
  data?: unknown;
  error?: { message: string; code: string };
}

/** One tRPC call over HTTP in the wire format @trpc/client uses (superjson, GET for queries, POST for mutations). */
export async function callProcedure(
  baseUrl: string,
  userId: string | null,
  path: string,
  kind: "query" | "mutation",
  input: unknown,
): Promise<ApiAnswer> {
  const serialized = JSON.stringify(superjson.serialize(input));
  const headers: Record<string, string> = userId ? { [TEST_USER_HEADER]: userId } : {};
  const response =
    kind === "query"
      ? await fetch(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(serialized)}`, { headers })
      : await fetch(`${baseUrl}/api/trpc/${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: serialized,
        });
  const text = await response.text();
  const body = JSON.parse(text) as {
    result?: { data: Parameters<typeof superjson.deserialize>[0] };
    error?: { json: { message: string; data: { code: string } } };
  };
  if (body.result) return { status: response.status, text, data: superjson.deserialize(body.result.data) };
  return {
    status: response.status,
    text,
    error: body.error ? { message: body.error.json.message, code: body.error.json.data.code } : undefined,
  };
}

import { REST_OPERATIONS } from "@beacon/api";
import { WEBHOOK_EVENT_FIELDS, WEBHOOK_EVENT_TYPES } from "@beacon/domain";

const OPENAPI_PATH = "/api/v1/openapi.json";

const VERIFY_EXAMPLE = `// Node.js: verify a Beacon webhook (Standard Webhooks)
import { createHmac, timingSafeEqual } from "node:crypto";

function verify(secret, headers, body) {
  const id = headers["webhook-id"], timestamp = headers["webhook-timestamp"];
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(\`\${id}.\${timestamp}.\${body}\`).digest("base64");
  return headers["webhook-signature"].split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    return version === "v1" && signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  });
}`;

/** The REST API and webhook reference, from the same route table and event list the server uses. */
export function ApiReference() {
  return (
    <section aria-labelledby="reference-heading" className="mt-10 space-y-6 border-t border-slate-200 pt-8">
      <div>
        <h2 id="reference-heading" className="text-base font-semibold text-slate-900">
          Reference
        </h2>
        <p className="mt-1 max-w-prose text-sm text-slate-600">
          The full description, for code generators and API tools, is the OpenAPI 3.1 document at{" "}
          <a className="font-mono text-xs text-sky-800 underline" href={OPENAPI_PATH}>
            {OPENAPI_PATH}
          </a>
          .
        </p>
      </div>

      <div className="space-y-2 text-sm text-slate-700">
        <h3 className="font-medium text-slate-900">Calling the API</h3>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
          {`curl -H "Authorization: Bearer bcn_…" https://<this console>/api/v1/devices?search=HWTC&pageSize=50

curl -X POST -H "Authorization: Bearer bcn_…" -H "content-type: application/json" \\
     -d '{"reboot": false}' https://<this console>/api/v1/sites/<site id>/rooms/101/checkout`}
        </pre>
        <p className="max-w-prose">
          Errors are problem documents (<code className="font-mono text-xs">application/problem+json</code>) whose{" "}
          <code className="font-mono text-xs">detail</code> is a sentence: 401 for a missing, expired or revoked token,
          403 when the token's role does not allow the action, 404 for anything outside the token's domain.
        </p>
      </div>

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                Operation
              </th>
              <th scope="col" className="px-3 py-2">
                What it does
              </th>
              <th scope="col" className="px-3 py-2">
                Needs
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {REST_OPERATIONS.map((route) => (
              <tr key={`${route.method} ${route.path}`}>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                  <span className="font-semibold">{route.method}</span> /api/v1{route.path}
                </td>
                <td className="px-3 py-2 text-slate-700">{route.summary}</td>
                <td className="px-3 py-2 font-mono text-xs text-slate-600">
                  {route.permission ?? route.needs ?? "any token"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="space-y-2 text-sm text-slate-700">
        <h3 className="font-medium text-slate-900">Webhook messages</h3>
        <p className="max-w-prose">
          Each message is a POST of{" "}
          <code className="font-mono text-xs">{`{"type": "…", "timestamp": "…", "data": {…}}`}</code> with the headers{" "}
          <code className="font-mono text-xs">webhook-id</code> (the same on every retry: use it to drop duplicates),{" "}
          <code className="font-mono text-xs">webhook-timestamp</code> and{" "}
          <code className="font-mono text-xs">webhook-signature</code>. <code className="font-mono text-xs">data</code>{" "}
          carries <code className="font-mono text-xs">domainId</code>,{" "}
          <code className="font-mono text-xs">deviceId</code> and:
        </p>
        <ul className="grid gap-1 md:grid-cols-2">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <li key={type}>
              <code className="font-mono text-xs font-semibold">{type}</code>{" "}
              <span className="font-mono text-xs text-slate-600">{WEBHOOK_EVENT_FIELDS[type].join(", ") || "—"}</span>
            </li>
          ))}
        </ul>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
          {VERIFY_EXAMPLE}
        </pre>
      </div>
    </section>
  );
}

"use client";

import type { WebhookDeliveryView } from "@beacon/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LocalTime } from "@/components/local-time.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPCClient } from "@/trpc/client.tsx";

const STATE_STYLES: Record<WebhookDeliveryView["state"], string> = {
  pending: "bg-amber-100 text-amber-900",
  delivered: "bg-emerald-100 text-emerald-900",
  failed: "bg-red-100 text-red-900",
};

function lastAnswer(delivery: WebhookDeliveryView): string {
  if (delivery.attempts === 0) return "not sent yet";
  return delivery.lastError ?? `HTTP ${delivery.lastStatus}`;
}

/** A webhook's delivery log, refreshed while it is open, with a replay for what was delivered or given up. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const queryClient = useQueryClient();
  const api = useTRPCClient();
  const queryKey = ["settings", "webhook-deliveries", webhookId];
  const deliveries = useQuery({
    queryKey,
    queryFn: () => api.webhooks.deliveries.query({ webhookId }),
    refetchInterval: 5_000,
  });
  const replay = useMutation({
    mutationFn: (deliveryId: string) => api.webhooks.replay.mutate({ deliveryId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });

  if (deliveries.error) return <ErrorNotice error={deliveries.error} />;
  if (!deliveries.data) return <p className="text-sm text-slate-500">Loading deliveries…</p>;
  if (deliveries.data.length === 0) {
    return <p className="text-sm text-slate-600">Nothing sent yet. “Send test message” tries the endpoint now.</p>;
  }
  return (
    <div className="space-y-2">
      <ErrorNotice error={replay.error} />
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
        {deliveries.data.map((delivery) => (
          <li key={delivery.id} className="px-3 py-2 text-sm">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATE_STYLES[delivery.state]}`}>
                {delivery.state}
              </span>
              <span className="font-medium text-slate-900">{delivery.eventType}</span>
              <span className="text-slate-600">
                <LocalTime value={delivery.createdAt} />
              </span>
              <span className="text-slate-600">
                {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}: {lastAnswer(delivery)}
              </span>
              {delivery.state === "pending" && delivery.nextAttemptAt && (
                <span className="text-slate-600">
                  next <LocalTime value={delivery.nextAttemptAt} relative />
                </span>
              )}
              {delivery.state !== "pending" && (
                <Button
                  size="sm"
                  className="ml-auto"
                  disabled={replay.isPending}
                  onClick={() => replay.mutate(delivery.id)}
                >
                  Replay
                </Button>
              )}
            </div>
            <details className="mt-1">
              <summary className="cursor-pointer text-xs text-sky-800">Message and attempts</summary>
              <p className="mt-1 text-xs text-slate-600">
                webhook-id <code className="font-mono">{delivery.messageId}</code>
              </p>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">{delivery.body}</pre>
              <ol className="mt-1 space-y-0.5 text-xs text-slate-600">
                {delivery.history.map((attempt) => (
                  <li key={attempt.at}>
                    <LocalTime value={attempt.at} />: {attempt.error ?? `HTTP ${attempt.status}`} ({attempt.durationMs}{" "}
                    ms)
                  </li>
                ))}
              </ol>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}

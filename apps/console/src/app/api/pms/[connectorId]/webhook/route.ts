import { handlePmsWebhook } from "@beacon/api";
import { createPmsWebhookReceiver, wakeDevice } from "@beacon/domain";
import { consoleConfig } from "@/server/config.ts";
import { consoleDb } from "@/server/db.ts";

/** A cloud PMS's events (Mews, Apaleo, Cloudbeds): authenticated by the connector's secret, not by a session. */
export async function POST(request: Request, context: { params: Promise<{ connectorId: string }> }): Promise<Response> {
  const { connectorId } = await context.params;
  const db = consoleDb();
  const settings = consoleConfig().connectionRequests;
  return handlePmsWebhook(request, {
    receiver: createPmsWebhookReceiver(db, {
      wake: (deviceId, taskId) => wakeDevice(db, deviceId, { taskId, settings }),
    }),
    connectorId,
    onInternalError: (error) => console.error("[pms] webhook failed", error),
  });
}

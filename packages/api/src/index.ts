export { type ApiRequestOptions, handleApiRequest } from "./fetch-handler.ts";
export { type FirmwareUploadOptions, handleFirmwareUpload } from "./firmware-upload.ts";
export { handlePmsWebhook, PMS_WEBHOOK_MAX_BYTES, type PmsWebhookOptions } from "./pms-webhook.ts";
export * from "./rest/index.ts";
export { type AppRouter, appRouter } from "./root.ts";
export { type ApiContext, createApiContext, createCallerFactory } from "./trpc.ts";

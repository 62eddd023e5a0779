export { handleRestRequest, type RestRequestOptions } from "./handle-rest-request.ts";
export { buildOpenApiDocument, openApiDocument } from "./openapi.ts";
export type { RestRoute } from "./route.ts";
export { REST_ROUTES } from "./routes.ts";
export * from "./settings-actions.ts";

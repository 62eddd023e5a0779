export { handleRestRequest, type RestRequestOptions } from "./handle-rest-request.ts";
export { buildOpenApiDocument, openApiDocument } from "./openapi.ts";
export { listProcedures, REST_OPERATIONS, type RestOperation } from "./operations.ts";

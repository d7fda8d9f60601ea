export { API_ERROR_STATUS, ApiError, toResponse } from './api-error.js';
export type { ApiErrorCode } from './api-error.js';
export { API_DURATION_BUCKETS_SECONDS, createApiMetrics } from './api-metrics.js';
export type { ApiMetrics } from './api-metrics.js';
export {
  DEFAULT_API_SERVER_OPTIONS,
  LISTEN_PATH,
  SAMPLES_PATH,
  PLACEHOLDER_CONFIDENCE,
  createApiServerApp,
} from './api-server-app.js';
export type { ApiServerApp, ApiServerOptions, ApiServerStats } from './api-server-app.js';
export { DEFAULT_API_PORT, startApiServer } from './api-server.js';
export type { ApiServerHandle, ApiServerServeOptions } from './api-server.js';
export { isValidToken } from './is-valid-token.js';
export { classifyContentType, readListenRequest } from './read-listen-request.js';
export type { ListenBodyKind, ListenInput } from './read-listen-request.js';
export { createWorkerRegistry } from './worker-registry.js';
export type { AddWorkerInput, WorkerRegistry, WorkerSnapshot } from './worker-registry.js';
export { createHttpWorkerTransport } from './worker-transport.js';
export type { WorkerCall, WorkerReply, WorkerTransport } from './worker-transport.js';

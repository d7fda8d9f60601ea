/**
 * The Node edge the world modules share: the system clock and timers (passed in by entry points
 * only), and one HTTP layer: servers on hono bound to loopback (`serve`), typed HTTP errors with
 * one `toResponse`, the lean node:http server of the workload hot paths (`serveApp`), and one
 * client (`httpRequest`, and `createHttpFetch` when a `fetch` is wanted). Imports only core.
 */
export { systemClock, systemTimers } from './system.js';
export * from './http/index.js';

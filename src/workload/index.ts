/**
 * The seeds' workload on one machine: the ASR-like worker, the API server in front of it, and a
 * bounded load generator. Servers bind 127.0.0.1 only; the load generator targets loopback only.
 */
export * from './api-server/index.js';
export * from './audio/index.js';
export * from './load/index.js';
export * from './worker/index.js';

/**
 * The local stack: API server, worker processes, built-in scraper and controller wired
 * together (`hpa-lab up`), its status endpoint and run file, and kubectl views of its status.
 */
export { API_SERVER_DEPLOYMENT, API_SERVER_NOTE, FAST_SETTINGS, startStack, SYNC_AFTER_SCRAPE_MS, workerDeploymentOf, type Stack, type StackOptions } from './start-stack.js';
export { fetchStackStatus } from './status-client.js';
export { formatPodsTable, formatStackDescribe, formatStatusTable, formatWatchHeader, formatWatchRow } from './status-views.js';
export { readRunFile, removeRunFile, RUN_FILE, STATE_FILE, writeRunFile, type RunInfo } from './run-file.js';
export type { StackStatus, TargetStatus } from './stack-status.js';
export { systemClock, systemTimers } from './system.js';

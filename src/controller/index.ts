/**
 * The controller: the sync loop wiring a metrics source, the engine and a scale target; the
 * built-in scraper; the state file; the status endpoint; kubectl-style views.
 */
export { createController, DEFAULT_MAX_EVENTS, DEFAULT_SYNC_PERIOD_MS, type Controller, type ControlledHpa, type ControllerOptions, type HpaView, type SyncResult } from './controller.js';
export * from './kubectl-view.js';
export type { MetricsReadInput, MetricsSource } from '../engine/index.js';
export { parsePrometheusText, type ParsedExposition, type PromSample, type PromType } from './parse-prometheus-text.js';
export { createScraper, DEFAULT_SCRAPE_INTERVAL_MS, FAST_SCRAPE_INTERVAL_MS, WORKER_CONTAINER, type Scraper, type ScraperOptions, type ScrapeHealth } from './scraper.js';
export { loadControllerState, saveControllerState, type ControllerStateFile, type HpaEventRecord, type SavedHpa } from './state-file.js';
export { createStatusApp, startStatusServer, STATUS_PATH } from './status-server.js';

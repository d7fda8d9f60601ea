/**
 * The controller: the sync loop wiring a metrics source, the engine and a scale target; the
 * built-in scraper; the state file; the status endpoint; kubectl-style views.
 */
export { createController,  DEFAULT_SYNC_PERIOD_MS, type Controller,   type HpaView, type SyncResult } from './controller.js';
export * from './kubectl-view.js';
;
;
export { createScraper, DEFAULT_SCRAPE_INTERVAL_MS,  type Scraper,  type ScrapeHealth } from './scraper.js';
export { loadControllerState, savedStateOf,      type SavedHpa } from './state-file.js';
export {  startStatusServer,  } from './status-server.js';

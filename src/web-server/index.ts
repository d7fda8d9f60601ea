/**
 * The shell of the visualizer page: a static server on hono (127.0.0.1), the link that
 * opens the page on a file, and building the page when needed. The page itself is `web/`.
 */
export { createStaticApp, DEFAULT_SERVE_PORT, startStaticServer, type StaticServer, type StaticServerOptions } from './static-server.js';
export { encodePageHash, isScenarioText, pageHashForFile, pageStateForFile, type PageLinkState } from './page-link.js';
export { buildPage, ensurePageBuilt, packageRoot, pageCacheDir, PAGE_SOURCES, type EnsurePageOptions } from './page-build.js';

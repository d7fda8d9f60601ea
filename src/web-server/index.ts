/**
 * The shell of the visualizer page: a static server on hono (127.0.0.1), the link that
 * opens the page on a file, and building the page when needed. The page itself is `web/`.
 */
export { DEFAULT_SERVE_PORT, startStaticServer, type StaticServer } from './static-server.js';
export { encodePageHash, pageHashForFile, pageStateForFile } from './page-link.js';
export { buildPage, ensurePageBuilt } from './page-build.js';

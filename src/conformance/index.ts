/** The public face of src/conformance: import this module through this file. */
export { runConformanceDir } from './run-dir.js';

export type { LoadProgress, LoadResult } from './load-recorder.js';
export { parseLoopbackUrl } from './load-target.js';
export { playTraffic } from './play-traffic.js';
export type { PlayTrafficResult } from './play-traffic.js';
export { runLoad } from './run-load.js';

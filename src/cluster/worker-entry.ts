/**
 * Where the worker process starts from, and how node must be told to run it: compiled
 * `dist/workload/worker/main.js` needs nothing; the TypeScript source (tests under vitest, a
 * checkout run through tsx) needs tsx's loader, which is a development dependency.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The worker entry next to this module: `../workload/worker/main.js` when running compiled code
 * from `dist/`, `main.ts` when running the sources.
 */
export const WORKER_ENTRY = fileURLToPath(new URL(`../workload/worker/main.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));

/**
 * The node flags that run `entry`: none for JavaScript, `--import <tsx>` for a `.ts` file.
 *
 * @throws {Error} when `entry` is TypeScript and tsx is not installed (an installed package runs `.js` only)
 * @example
 * workerNodeArgs('/pkg/dist/workload/worker/main.js'); // -> []
 * workerNodeArgs('/repo/src/workload/worker/main.ts'); // -> ['--import', 'file:///repo/node_modules/tsx/dist/loader.mjs']
 */
export function workerNodeArgs(entry: string): string[] {
  if (!/\.[cm]?tsx?$/.test(entry)) return [];
  let loader: string;
  try {
    loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    throw new Error(`Cannot start the worker '${entry}' as it is TypeScript and tsx is not installed: run 'npm run build' and use the compiled entry`);
  }
  return ['--import', loader];
}

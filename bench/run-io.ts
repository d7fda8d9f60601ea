/**
 * The benchmarks that need real processes and servers (the compiled CLI, Prometheus, Chromium,
 * worker processes): run through tsx by `npm run bench` (scripts/bench.mjs), after the compiled CPU
 * benchmarks of `run.ts` and the package build.
 * Each one says why it was skipped when a program it needs is missing.
 */
import { benchAdapter, benchGoRegexp, formatAdapterBench, formatRegexpBench } from './adapter.js';
import { benchStartup, formatStartupBench } from './startup.js';
import { benchWeb, formatWebBench } from './web.js';
import { benchKube, formatKubeBench } from './kube.js';

const only = process.argv.slice(2).filter((a) => a !== '--');
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('startup')) {
  console.log('## startup: the compiled CLI, wall time as a ratio to node -e 0 (median of 7 each, same run)');
  console.log(`${formatStartupBench(benchStartup(7))}\n`);
}

if (want('adapter')) {
  console.log('## adapter: a backtracking-prone rule regexp on RE2 (linear in the input)');
  console.log(formatRegexpBench(benchGoRegexp()));
  console.log('## adapter: custom metrics API vs the Prometheus query alone (pods query)');
  console.log(formatAdapterBench(await benchAdapter()));
  console.log('target: adapter ≤ 1.5 × the Prometheus query\n');
}

if (want('web')) {
  try {
    console.log(`${formatWebBench(await benchWeb())}\n`);
  } catch (error) {
    console.log(`## web page: skipped: ${(error as Error).message}\n`);
  }
}

if (want('kube')) {
  console.log(`${formatKubeBench(await benchKube())}\n`);
}

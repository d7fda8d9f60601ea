/**
 * The benchmarks that need real processes and servers (Prometheus, Chromium, worker processes):
 * run through tsx by `npm run bench`, after the compiled CPU benchmarks of `run.ts`.
 * Each one says why it was skipped when a program it needs is missing.
 */
import { benchAdapter, formatAdapterBench } from './adapter.js';
import { benchWeb, formatWebBench } from './web.js';
import { benchKube, formatKubeBench } from './kube.js';

const only = process.argv.slice(2).filter((a) => a !== '--');
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('adapter')) {
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

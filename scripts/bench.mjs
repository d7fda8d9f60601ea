#!/usr/bin/env node
// `npm run bench [-- NAME ...]`: compiles and runs the CPU benchmarks (bench/run.ts, under
// --expose-gc), then builds the package and runs the ones with real processes (bench/run-io.ts,
// through tsx), passing the same names to both so `npm run bench -- startup` runs only that one.
import { spawnSync } from 'node:child_process';

const names = process.argv.slice(2).filter((a) => a !== '--');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
run(npx, ['tsc', '-p', 'tsconfig.bench.json']);
run(process.execPath, ['--expose-gc', 'dist-bench/bench/run.js', ...names]);
run(npx, ['tsc', '-p', 'tsconfig.build.json']);
run(process.execPath, ['--import', 'tsx', 'bench/run-io.ts', ...names]);

#!/usr/bin/env node
// `npm run bench [-- NAME ...]`: compiles and runs the CPU benchmarks (bench/run.ts, under
// --expose-gc), then builds the package and runs the ones with real processes (bench/run-io.ts,
// through tsx), passing the same names to both so `npm run bench -- startup` runs only that one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const names = process.argv.slice(2).filter((a) => a !== '--');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
run(npx, ['tsc', '-p', 'tsconfig.bench.json']);
buildBaseline();
run(process.execPath, ['--expose-gc', 'dist-bench/bench/run.js', ...names]);
run(npx, ['tsc', '-p', 'tsconfig.build.json']);
run(process.execPath, ['--import', 'tsx', 'bench/run-io.ts', ...names]);

/**
 * Today's engine and simulator for the ratios (`engine`, `sim`, `fleet`): `src/core`,
 * `src/engine` and `src/sim` of BENCH_BASELINE (default: main before the engine fast path, commit 9e200a5)
 * compiled to dist-bench/baseline/out. Skipped (ratios not printed) when git cannot provide it.
 */
function buildBaseline() {
  const ref = process.env.BENCH_BASELINE ?? '9e200a5';
  const dir = 'dist-bench/baseline';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', ref, 'src/core', 'src/engine', 'src/sim'], { maxBuffer: 1 << 28 });
  if (archive.status !== 0) {
    console.log(`(no baseline: git archive ${ref} failed; ratios to today's path are skipped)`);
    return;
  }
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) return;
  writeFileSync(
    `${dir}/tsconfig.json`,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: false, outDir: 'out', rootDir: 'src', declaration: false, sourceMap: false, types: ['node'], noUnusedLocals: false },
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/testing/**'],
    }),
  );
  writeFileSync(`${dir}/package.json`, '{ "type": "module" }\n');
  const r = spawnSync(npx, ['tsc', '-p', `${dir}/tsconfig.json`], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(baseline ${ref} did not compile; ratios to today's path are skipped)`);
  else writeFileSync(`${dir}/REF`, `${ref}\n`);
}

/**
 * `npm run conformance -- DIR`: one line per failing case, then `N passed, N failed`.
 * Exit 0 when all pass, 1 when any fails, 2 for a bad argument.
 */
import { runConformanceDir } from '../conformance/index.js';
import { InputError } from '../core/index.js';

const dirs = process.argv.slice(2).filter((a) => a !== '--');
if (dirs.length === 0) {
  process.stderr.write('Usage: npm run conformance -- DIR [DIR...]\n');
  process.exitCode = 2;
} else {
  let passed = 0;
  let failed = 0;
  try {
    for (const dir of dirs) {
      for (const f of await runConformanceDir(dir)) {
        if (f.skipped) {
          process.stdout.write(`skip ${f.file}: ${f.skipped}\n`);
          continue;
        }
        for (const r of f.results) {
          if (r.ok) passed++;
          else {
            failed++;
            process.stdout.write(`FAIL ${f.file} ${r.id}: ${r.message ?? ''}\n`);
          }
        }
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    process.exitCode = failed > 0 ? 1 : 0;
  } catch (e) {
    process.stderr.write(`conformance: ${e instanceof InputError ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}

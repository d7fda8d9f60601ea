#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm run build`, which `npm install` runs by itself
// through `prepare`): no TypeScript tooling at run time.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("hpa-lab: the compiled CLI (dist/cli/bin.js) is missing: run 'npm run build' in this checkout\n");
  process.exitCode = 2;
} else {
  await import(entry.href);
}

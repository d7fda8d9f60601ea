/**
 * Worker process entry: `node dist/workload/worker/main.js --port 0 --metrics-port 0` (from the sources:
 * `node --import tsx src/workload/worker/main.ts ...`).
 * All logic is in `runWorkerCli`; this file only wires it to the process.
 */
import { runWorkerCli } from './worker-cli.js';

const code = await runWorkerCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
// Nothing should keep the loop alive after a stop; if something does, do not hang the pool.
setTimeout(() => process.exit(code), 2_000).unref();

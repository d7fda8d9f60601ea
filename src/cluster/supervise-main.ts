/**
 * The lifeline for a program that is not Node (Prometheus): `node supervise-main.js [--pid-file
 * DIR] -- BINARY ARGS...` runs BINARY as its child, passes SIGTERM, SIGINT and SIGHUP on, exits
 * with the child's code, and, when its IPC channel to the stack closes (the stack exited, even by
 * SIGKILL), stops the child: SIGTERM, then SIGKILL after {@link CHILD_KILL_TIMEOUT_MS}.
 * The child's pid goes to `DIR/<pid>.json` (owner: the stack), so a stack that finds it orphaned
 * reaps it. All logic is in `runSupervisor`; this file only wires it to the process.
 */
import { runSupervisor } from './supervisor.js';

process.exitCode = await runSupervisor(process.argv.slice(2));

import type { CommandDef } from '../command.js';

/**
 * One row of the command table: what `hpa-lab --help` prints, and how to load the command.
 * Nothing here imports a command's module, so `--help` starts without loading any of them.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Imports the command's module (its OPTIONS table and `run`) on first use. */
  load(): Promise<CommandDef>;
}

/** Every command of the CLI, in help order. Each lives in its own file in this folder. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'simulate',
    summary: 'Run a scenario (HPAs, service model, traffic) in virtual time and report what the autoscaler did',
    load: async () => (await import('./simulate.js')).simulateCommand,
  },
  {
    name: 'explain',
    summary: 'Explain the replica count an HPA decides for given readings, and plot desired vs current replicas',
    load: async () => (await import('./explain.js')).explainCommand,
  },
  {
    name: 'serve',
    summary: 'Serve the visualizer page (calculator, scenario, compare, share) on 127.0.0.1, optionally opened on a file',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'adapter',
    summary: 'Serve the custom and external metrics APIs from Prometheus with prometheus-adapter rules (127.0.0.1)',
    load: async () => (await import('./adapter.js')).adapterCommand,
  },
  {
    name: 'render',
    summary: "Write the stack's Prometheus config, rule files and adapter config (checked with promtool when installed)",
    load: async () => (await import('./render.js')).renderCommand,
  },
  {
    name: 'diagnose',
    summary: 'Walk the metrics chain of each HPA metric (targets, series, rules, labels, API, freshness, decision) and name the first broken link',
    load: async () => (await import('./diagnose.js')).diagnoseCommand,
  },
  {
    name: 'up',
    summary: "Run the seeds' stack on this machine: API server, ASR-like worker processes and the HPA controller scaling them",
    load: async () => (await import('./up.js')).upCommand,
  },
  {
    name: 'status',
    summary: "Show the running stack's HPAs as `kubectl get hpa` does (NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE)",
    load: async () => (await import('./status.js')).statusCommand,
  },
  {
    name: 'describe',
    summary: "Describe one of the running stack's HPAs as `kubectl describe hpa` does (Metrics, Conditions, Events)",
    load: async () => (await import('./describe.js')).describeCommand,
  },
  {
    name: 'load',
    summary: "Send bounded load to a loopback URL (like hey), or play a scenario's traffic live, and report latency and status codes",
    load: async () => (await import('./load.js')).loadCommand,
  },
  {
    name: 'scan',
    summary: 'Rank every HPA of a cluster by trouble: <unknown> metrics, pinned at max, ScalingLimited, flapping, fixed points, decisions we disagree with',
    load: async () => (await import('./scan.js')).scanCommand,
  },
  {
    name: 'shadow',
    summary: 'Run the engine beside the live HPAs every sync period, never writing /scale: predict them (mirror) or try another spec (candidate)',
    load: async () => (await import('./shadow.js')).shadowCommand,
  },
];

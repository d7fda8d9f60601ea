/**
 * The history world: what a cluster's Prometheus recorded (or would have, for a simulated run),
 * trace files, replay of the engine over them, backtest and tune.
 */
export { captureSimulation, specMetricName,  type SyncFrame } from './sim-capture.js';
export { writeOpenMetrics,  } from './openmetrics.js';
export { writeSimulationOpenMetrics,  } from './openmetrics-file.js';
export * from './trace-format.js';
export { recordTrace, defaultMetricQuery,   } from './record.js';
export { openTrace } from './read-trace.js';
export { createReplayer,     type ReplayReport } from './replay.js';
export { checkBacktestValidity, reconstructDemand, backtestScenario, runBacktest,  type RecordedSummary,  type BacktestScenarioOptions } from './backtest.js';
export { sampleCandidates, knobsOf,  } from './tune-space.js';
export { paretoFront, recommend, scoreCandidates,   type TuneScore } from './tune.js';
export { simulatedTraceHeader, frameToTraceSync } from './sim-trace.js';

/**
 * The history world: what a cluster's Prometheus recorded (or would have, for a simulated run),
 * trace files, replay of the engine over them, backtest and tune.
 */
export { captureSimulation, specMetricName, type CapturedRun, type SyncFrame } from './sim-capture.js';
export { writeOpenMetrics, type WriteOpenMetricsOptions } from './openmetrics.js';
export { writeSimulationOpenMetrics, type SimulationOpenMetricsOptions } from './openmetrics-file.js';
export * from './trace-format.js';
export { recordTrace, defaultMetricQuery, type RecordOptions, type RecordSummary } from './record.js';
export { openTrace } from './read-trace.js';
export { createReplayer, type Disagreement, type DisagreementCause, type HpaReplay, type ReplayOptions, type ReplayReport } from './replay.js';
export { checkBacktestValidity, reconstructDemand, backtestScenario, runBacktest, type RecordedDemand, type RecordedSummary, type Validity, type BacktestScenarioOptions } from './backtest.js';
export { sampleCandidates, knobsOf, type Knobs } from './tune-space.js';
export { paretoFront, recommend, scoreCandidates, type Objective, type ScoreCandidatesOptions, type TuneScore } from './tune.js';
export { simulatedTraceHeader, frameToTraceSync } from './sim-trace.js';

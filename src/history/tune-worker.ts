/**
 * A tune worker thread: scores the candidates the main thread sends on the scenario it was
 * started with (`workerData`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import type { Scenario } from '../sim/index.js';
import { evaluateCandidate } from './tune.js';

const data = workerData as { scenario: Scenario; hpaIndex: number; seed: number };
parentPort?.on('message', (m: { id: number; candidate: HorizontalPodAutoscaler }) => {
  try {
    parentPort!.postMessage({ id: m.id, score: evaluateCandidate(data.scenario, { hpaIndex: data.hpaIndex, candidate: m.candidate, seed: data.seed }) });
  } catch (error) {
    parentPort!.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) });
  }
});

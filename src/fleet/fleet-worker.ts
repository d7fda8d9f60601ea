/**
 * A fleet worker thread: receives the fleet once, then runs the members it is handed one at a
 * time and posts each member's summary back (the parent hands out indices as workers free up).
 *
 * Protocol: parent → `{ kind: 'run', index }` | `{ kind: 'stop' }`;
 * worker → `{ kind: 'done', index, result }` | `{ kind: 'error', index, message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { reconcile } from '../engine/index.js';
import { runFleetMember, type Scenario, type SimOptions, type SimResult } from '../sim/index.js';
import type { FleetWorkerData, ParentMessage, WorkerMessage } from './messages.js';

const data = workerData as FleetWorkerData;
const port = parentPort!;
const engine = data.engine === 'full' ? { reconcile } : {};
const simulate =
  data.simulatorUrl === undefined ? {} : { simulate: ((await import(data.simulatorUrl)) as { runSimulation: (s: Scenario, o: SimOptions) => SimResult }).runSimulation };

port.on('message', (message: ParentMessage) => {
  if (message.kind === 'stop') {
    port.close();
    return;
  }
  const { index } = message;
  let reply: WorkerMessage;
  try {
    const result = runFleetMember(data.scenario, data.fleet, { seed: data.seed, index, patch: data.patch, ...engine, ...simulate });
    reply = { kind: 'done', index, result };
  } catch (e) {
    reply = { kind: 'error', index, message: (e as Error).message };
  }
  port.postMessage(reply);
});

/**
 * `npm run bench`: prints every benchmark's figures. Speed targets are checked here, never in tests.
 */
import { benchEngine } from './engine.js';
import { benchSim, benchSimulationDay, formatSimBench, formatSimDayBench } from './sim.js';

const only = process.argv.slice(2).filter((a) => a !== '--');
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('engine')) {
  console.log('## engine: reconciles per second (one core)');
  for (const r of benchEngine()) {
    console.log(`${r.name.padEnd(42)} ${r.reconcilesPerSecond.toLocaleString('en-US').padStart(12)} reconciles/s  (${r.nsPerReconcile} ns each, ${r.iterations} iterations)`);
  }
  console.log('target: ≥ 1,000,000 single-metric reconciles/s\n');
}

if (want('sim')) {
  console.log('## sim: Lightning ASR HPA, 30 days at 1 s traffic resolution and 15 s sync');
  for (const r of await benchSim()) console.log(formatSimBench(r));
  console.log(formatSimDayBench(await benchSimulationDay()));
  console.log('target: 30 simulated days in < 1 s on one core\n');
}

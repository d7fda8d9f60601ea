/**
 * `npm run bench`: prints every benchmark's figures. Speed targets are checked here, never in tests.
 */
import { availableParallelism, loadavg } from 'node:os';
import { benchEngine, loadBaselineEngine } from './engine.js';
import { benchFleet, formatFleetBench } from './fleet.js';
import { benchSim, benchSimRatio, checkExamplesIdentical, benchSimulationDay, formatSimBench, formatSimDayBench, formatSimRatio } from './sim.js';

const only = process.argv.slice(2).filter((a) => a !== '--');
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('engine')) {
  console.log('## engine: reconciles per second (one core)');
  const results = benchEngine(3000, await loadBaselineEngine());
  for (const r of results) {
    const full = results.find((x) => x.name === r.name && x.mode === 'full')!;
    const today = results.find((x) => x.name === r.name && x.mode === 'today');
    const ratios = [r.mode !== 'full' && r.mode !== 'today' ? `${(r.reconcilesPerSecond / full.reconcilesPerSecond).toFixed(2)}× full` : '', today !== undefined && r !== today ? `${(r.reconcilesPerSecond / today.reconcilesPerSecond).toFixed(2)}× today` : '']
      .filter(Boolean)
      .join(', ');
    const ratio = ratios ? `  ${ratios}` : '';
    console.log(`${`${r.name} ${r.mode}`.padEnd(47)} ${r.reconcilesPerSecond.toLocaleString('en-US').padStart(12)} reconciles/s  (${r.nsPerReconcile} ns each, ${r.iterations} iterations)${ratio}`);
  }
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
  console.log("target: fast ≥ 3× today's full reconcile, single and three metrics\n");
}

if (want('sim')) {
  console.log("## sim: one HPA, today's simulator vs this one (same scenario, seed, machine)");
  const same = await checkExamplesIdentical();
  if (same !== undefined) console.log(`every seeded example (${same.runs} runs with variants): ${same.differ.length === 0 ? 'identical to today' : `DIFFERENT: ${same.differ.join(', ')}`}`);
  for (const r of await benchSimRatio()) console.log(formatSimRatio(r));
  console.log('target: ≥ 10^7× real time (30 days in 0.26 s)\n');
  console.log('## sim: Lightning ASR HPA, 30 days at 1 s traffic resolution and 15 s sync');
  for (const r of await benchSim()) console.log(formatSimBench(r));
  console.log(formatSimDayBench(await benchSimulationDay()));
  console.log('target: 30 simulated days in < 1 s on one core\n');
}

if (only.includes('fleet')) {
  console.log("## fleet: the benchmark HPA × N (traffic ×0.5..4), 30 days, worker threads; today's simulator on a sample");
  console.log(formatFleetBench(await benchFleet()));
  console.log('target: 1,000 HPAs × 30 days on two cores ≥ 43,000× real time (30 days in a minute)\n');
}

/**
 * Micro-benchmark of `Traffic.rpsAt`: the simulator asks once per virtual second, so 30 days is
 * 2.6M calls (`npx tsx bench/traffic.ts`). Returns figures; prints only when run directly.
 */
import { createTraffic, type Traffic } from '../src/sim/traffic.js';
import type { TrafficSpecInput } from '../src/sim/traffic-schema.js';

/** Calls in a 30-day run at 1 s resolution. */
export const THIRTY_DAYS_CALLS = 30 * 86_400;

/** One benchmark result. */
export interface TrafficBenchResult {
  readonly name: string;
  readonly calls: number;
  readonly nsPerCall: number;
}

const DAY_TRACE = Array.from({ length: 1440 }, (_, i) => ({ t: i * 60, rps: 20 + 15 * Math.sin((i / 1440) * 2 * Math.PI) }));

const CASES: readonly { readonly name: string; readonly spec: TrafficSpecInput }[] = [
  { name: 'traffic-spike', spec: { type: 'traffic-spike' } },
  { name: 'gradual-decline', spec: { type: 'gradual-decline' } },
  { name: 'off-hours', spec: { type: 'off-hours' } },
  { name: 'diurnal', spec: { type: 'diurnal' } },
  { name: 'step (3 steps)', spec: { type: 'step', steps: [{ atSeconds: 0, rps: 5 }, { atSeconds: 3600, rps: 40 }, { atSeconds: 7200, rps: 10 }] } },
  { name: 'trace (1440 points, linear)', spec: { type: 'trace', points: DAY_TRACE, repeatSeconds: 86_400 } },
  { name: 'trace (1440 points, step)', spec: { type: 'trace', points: DAY_TRACE, interpolation: 'step', repeatSeconds: 86_400 } },
];

/**
 * A fresh timing loop per shape, compiled from source so that each gets its own type feedback:
 * the simulator has one `Traffic` per run, so its call site is monomorphic, and a shared loop
 * would charge later shapes for a megamorphic call site the simulator does not have. Time is the
 * process' CPU time (user + system), so other work on a busy machine does not inflate it.
 */
function makeTimer(label: string): (traffic: Traffic, calls: number) => { ns: number; sink: number } {
  const cpuNs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) * 1000;
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate, see above
  const build = new Function(
    'cpuNs',
    // The label makes the source unique: V8 caches compiled sources, and closures of one cached
    // function would share their type feedback again.
    `// timing loop for ${label.replace(/[^\w ()-]/g, '')}
    return (traffic, calls) => {
      let sink = 0;
      const start = cpuNs();
      for (let t = 0; t < calls; t++) sink += traffic.rpsAt(t);
      return { ns: cpuNs() - start, sink };
    };`,
  ) as (cpuNs: () => number) => (traffic: Traffic, calls: number) => { ns: number; sink: number };
  return build(cpuNs);
}

/**
 * Times `calls` monotonically increasing `rpsAt` calls per built-in shape (best of 3 runs after a
 * warm-up), in CPU nanoseconds per call. `names` picks shapes by name prefix.
 *
 * @example benchTraffic(); // -> [{ name: 'traffic-spike', calls: 2592000, nsPerCall: 3.1 }, ...]
 */
export function benchTraffic(options: { calls?: number; names?: readonly string[] } = {}): TrafficBenchResult[] {
  const calls = options.calls ?? THIRTY_DAYS_CALLS;
  const names = options.names;
  let sink = 0;
  const cases = names === undefined ? CASES : CASES.filter((c) => names.some((n) => c.name.startsWith(n)));
  const results = cases.map(({ name, spec }) => {
    const traffic = createTraffic(spec);
    const timeCalls = makeTimer(name);
    sink += timeCalls(traffic, Math.min(calls, 100_000)).sink; // warm-up: let the JIT compile it
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const { ns, sink: s } = timeCalls(traffic, calls);
      sink += s;
      best = Math.min(best, ns);
    }
    return { name, calls, nsPerCall: best / calls };
  });
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the calls from being optimized away');
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2);
  for (const r of benchTraffic(names.length > 0 ? { names } : {})) console.log(`${r.name.padEnd(30)} ${r.nsPerCall.toFixed(1).padStart(6)} ns/call (${r.calls} calls)`);
}

/**
 * Least-active routing as a fluid, the Service's choice among Ready pods when the load balancer
 * prefers the pod with the fewest active requests.
 */
import type { Cohort } from './pods.js';

/**
 * Pours `amount` requests into the `m` first cohorts of `ready`, emptiest pods first (on in
 * service + queued) until they are level (water-filling), then evenly. Sets each cohort's per-pod
 * `assigned` and reorders `ready[0 .. m)` by active count.
 */
export function routeLeastActive(ready: Cohort[], m: number, amount: number): void {
  // Insertion sort by active count; there are few cohorts and they are usually in order.
  for (let i = 1; i < m; i++) {
    const co = ready[i]!;
    const v = co.inService + co.queued;
    let j = i - 1;
    while (j >= 0 && ready[j]!.inService + ready[j]!.queued > v) {
      ready[j + 1] = ready[j]!;
      j--;
    }
    ready[j + 1] = co;
  }
  let pods = 0;
  let weighted = 0;
  let level = 0;
  let filled = m;
  for (let j = 1; j <= m; j++) {
    const low = ready[j - 1]!;
    pods += low.count;
    weighted += (low.inService + low.queued) * low.count;
    level = (amount + weighted) / pods;
    if (j === m) break;
    const next = ready[j]!;
    if (level <= next.inService + next.queued) {
      filled = j;
      break;
    }
  }
  for (let j = 0; j < filled; j++) {
    const co = ready[j]!;
    const x = level - (co.inService + co.queued);
    co.assigned = x > 0 ? x : 0;
  }
}

/**
 * A simulated pod's resource usage, as metrics-server samples it: CPU is idle + per request in
 * service + the startup spike; memory is idle + per request active (in service or queued).
 */
import type { Pod } from './pods.js';
import type { ServiceModel, StartupSpike } from './types.js';

/** Mean CPU (millicores) of `pod` over [t0, t1], from its in-service integral and the spike. */
export function cpuMillicores(model: ServiceModel, pod: Pod, window: { t0: number; t1: number; inServiceSecondsAtT0: number }): number {
  const cpu = model.cpu;
  const { t0, t1 } = window;
  const span = t1 - t0;
  if (!(span > 0)) return cpu.idleMillicores;
  const busy = (pod.inServiceSeconds - window.inServiceSecondsAtT0) / span;
  const spike = cpu.startup === null ? 0 : spikeIntegral(cpu.startup, t0 - pod.startS, t1 - pod.startS) / span;
  return cpu.idleMillicores + cpu.perRequestMillicores * busy + spike;
}

/** The startup part of `pod`'s mean CPU over [t0, t1]. */
export function startupMillicores(model: ServiceModel, pod: Pod, window: { t0: number; t1: number }): number {
  const s = model.cpu.startup;
  const span = window.t1 - window.t0;
  if (s === null || !(span > 0)) return 0;
  return spikeIntegral(s, window.t0 - pod.startS, window.t1 - pod.startS) / span;
}

/** Working-set memory (bytes) of `pod` now. */
export function memoryBytes(model: ServiceModel, pod: Pod): number {
  const mem = model.memory;
  return mem.idleBytes + mem.perRequestBytes * pod.active;
}

/** ∫ of the startup extra CPU over container ages [a0, a1] (millicore-seconds). */
export function spikeIntegral(spike: StartupSpike, a0: number, a1: number): number {
  const lo = Math.max(0, a0);
  const hi = Math.max(lo, a1);
  if (hi <= lo) return 0;
  const h = spike.holdSeconds;
  const x = spike.extraMillicores;
  let total = 0;
  const holdHi = Math.min(hi, h);
  if (holdHi > lo) total += x * (holdHi - lo);
  const d0 = Math.max(lo, h);
  if (hi > d0 && spike.decaySeconds > 0) {
    const tau = spike.decaySeconds;
    total += x * tau * (Math.exp(-(d0 - h) / tau) - Math.exp(-(hi - h) / tau));
  }
  return total;
}

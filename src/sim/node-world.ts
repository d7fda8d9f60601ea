/**
 * The node side of a run, wired for `runSimulation`: the pool, its cluster autoscaler (with its own
 * random stream, so the traffic draws stay those of a run without nodes), the tick that binds
 * waiting pods and scans, the summary and the findings about nodes.
 */
import { createSeededRng } from '../core/index.js';
import { ClusterAutoscaler } from './cluster-autoscaler.js';
import { formatSeconds } from './findings.js';
import { NodePool, podRequestOf } from './nodes.js';
import type { ServiceSim } from './service-sim.js';
import type { Pod } from './pods.js';
import type { Finding, NodePoolSpec, NodePoolSummary, Scenario, ServiceModel, ServiceSummary } from './types.js';

/** Tick of a pool without autoscaler (binding pods to freed room). */
const FIXED_POOL_TICK_SECONDS = 10;

/** A time the pool was at zero nodes and what the next pod paid for it. */
interface ZeroEpisode {
  readonly zeroAtS: number;
  /** When a pod first waited for a node after it (NaN: none did). */
  firstWaitS: number;
  /** When that wait ended (a node took it). */
  waitEndS: number;
  /** When that pod was Ready. */
  readyS: number;
  service: string;
  pod?: Pod;
}

/** The node world of a run. */
export interface NodeWorld {
  readonly pool: NodePool;
  readonly tickSeconds: number;
  tick(tSeconds: number, services: readonly ServiceSim[]): void;
  finish(tSeconds: number, services: readonly ServiceSim[], hasSlo: boolean): NodePoolSummary;
  findings(input: { scenario: Scenario; serviceSummaries: readonly ServiceSummary[]; summary: NodePoolSummary }): Finding[];
}

/** Creates the pool (its initial nodes Ready) and its autoscaler. */
export function createNodeWorld(spec: NodePoolSpec, seed: number, models: Readonly<Record<string, ServiceModel>>): NodeWorld {
  const scenarioModel = (service: string): ServiceModel | undefined => models[service];
  const pool = new NodePool(spec);
  const ca = spec.clusterAutoscaler === null ? undefined : new ClusterAutoscaler(pool, spec.clusterAutoscaler, createSeededRng((seed ^ 0x5bd1e995) >>> 0));
  const zeros: ZeroEpisode[] = [];
  let atZero = pool.nodes.length === 0;
  if (atZero) zeros.push({ zeroAtS: 0, firstWaitS: Number.NaN, waitEndS: Number.NaN, readyS: Number.NaN, service: '' });

  const observe = (tSeconds: number): void => {
    const last = zeros.at(-1);
    if (last !== undefined) {
      const w = pool.waiting[0];
      if (last.pod === undefined && w !== undefined) {
        last.pod = w.pod;
        last.firstWaitS = w.sinceS;
        last.service = w.service;
      }
      const pod = last.pod;
      // Bound: its start is the bind time plus the scheduling delay.
      if (pod !== undefined && Number.isNaN(last.waitEndS) && Number.isFinite(pod.readyS)) {
        last.waitEndS = pod.startS - (scenarioModel(last.service)?.schedulingDelaySeconds ?? 0);
        last.readyS = pod.readyS;
      }
    }
    const zeroNow = pool.nodes.length === 0;
    if (zeroNow && !atZero) zeros.push({ zeroAtS: tSeconds, firstWaitS: Number.NaN, waitEndS: Number.NaN, readyS: Number.NaN, service: '' });
    atZero = zeroNow;
  };

  return {
    pool,
    tickSeconds: spec.clusterAutoscaler?.scanIntervalSeconds ?? FIXED_POOL_TICK_SECONDS,
    tick(tSeconds, services) {
      const waitedBefore = pool.waitingCount > 0;
      pool.bindWaiting(tSeconds);
      ca?.scan(tSeconds);
      pool.bindWaiting(tSeconds);
      pool.account(tSeconds);
      pool.observeServices(
        services.map((s) => ({ name: s.name, dropped: s.dropped, sloMisses: s.latency.sloMisses })),
        waitedBefore,
      );
      observe(tSeconds);
    },
    finish(tSeconds, services, hasSlo) {
      pool.observeServices(
        services.map((s) => ({ name: s.name, dropped: s.dropped, sloMisses: s.latency.sloMisses })),
        pool.waitingCount > 0,
      );
      return pool.summary(tSeconds, hasSlo);
    },
    findings({ scenario, serviceSummaries, summary }) {
      const out: Finding[] = [];
      // 1. maxReplicas beyond what the pool can ever hold.
      for (const hpa of scenario.hpas) {
        const name = hpa.spec.scaleTargetRef.name;
        const model = scenario.services[name];
        if (model === undefined) continue;
        const request = podRequestOf(model, spec);
        const perNode = Math.min(
          request.units > 0 ? Math.floor(spec.perNode / request.units) : Number.POSITIVE_INFINITY,
          request.cpuMillicores > 0 && spec.cpuMillicores !== null ? Math.floor(spec.cpuMillicores / request.cpuMillicores) : Number.POSITIVE_INFINITY,
          request.memoryBytes > 0 && spec.memoryBytes !== null ? Math.floor(spec.memoryBytes / request.memoryBytes) : Number.POSITIVE_INFINITY,
        );
        const capacity = perNode * spec.maxNodes;
        const units = spec.maxNodes * spec.perNode;
        const what = `${units} ${spec.resource === 'nvidia.com/gpu' ? (units === 1 ? 'GPU' : 'GPUs') : spec.resource}`;
        if (perNode === 0) {
          out.push({
            kind: 'node-capacity',
            hpa: hpa.metadata.name,
            severity: 'critical',
            title: `Pods of ${name} fit no node of the pool '${spec.name}': none can ever run`,
            evidence: `a pod asks ${request.units} ${spec.resource}${request.cpuMillicores ? `, ${request.cpuMillicores}m CPU` : ''}; a node has ${spec.perNode}${spec.cpuMillicores === null ? '' : `, ${spec.cpuMillicores}m CPU`}`,
            fix: 'Lower the pod requests or use a node shape with more of the resource',
            t: 0,
          });
        } else if (Number.isFinite(capacity) && (hpa.spec.maxReplicas ?? 0) > capacity) {
          const never = hpa.spec.maxReplicas - capacity;
          out.push({
            kind: 'node-capacity',
            hpa: hpa.metadata.name,
            severity: 'warning',
            title: `maxReplicas ${hpa.spec.maxReplicas} > the node pool's ${what}: ${never} pod${never === 1 ? '' : 's'} can never run`,
            evidence: `${spec.maxNodes} node${spec.maxNodes === 1 ? '' : 's'} at most × ${perNode} pod${perNode === 1 ? '' : 's'} per node = ${capacity}; the HPA may ask for ${hpa.spec.maxReplicas}, and the extra pods stay Pending (seed 000: "Don't set higher than available GPU resources")`,
            fix: `Set maxReplicas to ${capacity}, or raise the pool's maxNodes to ${Math.ceil(hpa.spec.maxReplicas / perNode)}`,
            t: 0,
          });
        }
      }
      // 2. Time to capacity spent waiting for nodes (the longest episode that waited).
      for (const svc of serviceSummaries) {
        const spans = pool.waitSpans.get(svc.service) ?? [];
        let worst: { t: number; seconds: number; waited: number } | undefined;
        for (const e of svc.capacityEpisodes) {
          const end = e.seconds === null ? scenario.durationSeconds : e.t + e.seconds;
          let waited = 0;
          for (const [a, b] of spans) waited += Math.max(0, Math.min(b, end) - Math.max(a, e.t));
          if (waited > 0 && (worst === undefined || end - e.t > worst.seconds)) worst = { t: e.t, seconds: end - e.t, waited };
        }
        if (worst === undefined) continue;
        const hpa = scenario.hpas.find((h) => h.spec.scaleTargetRef.name === svc.service);
        out.push({
          kind: 'waiting-for-nodes',
          hpa: hpa?.metadata.name ?? svc.service,
          severity: worst.waited >= worst.seconds / 2 ? 'warning' : 'info',
          title: `Time to capacity is ${formatSeconds(worst.seconds)}, of which ${formatSeconds(Math.round(worst.waited))} waiting for nodes`,
          evidence: `from ${formatSeconds(worst.t)}: pods stayed Pending until the cluster autoscaler's nodes were Ready; over the run ${formatSeconds(Math.round(summary.podPendingSeconds))} of pod time Pending for lack of a node, ${Math.round(summary.droppedWhileWaiting)} requests dropped${summary.sloMissesWhileWaiting === null ? '' : ` and ${Math.round(summary.sloMissesWhileWaiting)} over the SLO`} meanwhile`,
          fix: `Keep spare room (minNodes above the baseline, or low-priority placeholder pods), make nodes faster to provision (pre-pulled images), or scale up earlier (lower target, shorter scaleUp window)`,
          t: worst.t,
        });
      }
      // 3. Scale to zero and the first request after it.
      for (const z of zeros) {
        if (Number.isNaN(z.firstWaitS) || z.service === '') continue;
        const model = scenario.services[z.service];
        const end = Number.isNaN(z.waitEndS) ? scenario.durationSeconds : z.waitEndS;
        const toReady = (Number.isNaN(z.readyS) ? scenario.durationSeconds : z.readyS) - z.firstWaitS;
        const hpa = scenario.hpas.find((h) => h.spec.scaleTargetRef.name === z.service);
        out.push({
          kind: 'nodes-scale-to-zero',
          hpa: hpa?.metadata.name ?? z.service,
          severity: 'info',
          title: `The pool scaled to zero nodes at ${formatSeconds(z.zeroAtS)}; the first pod after it was Ready ${formatSeconds(Math.round(toReady))} after it asked for a node`,
          evidence: `${formatSeconds(Math.round(end - z.firstWaitS))} waiting for a node + ${model === undefined ? '?' : `${formatSeconds(model.schedulingDelaySeconds)} scheduling/image pull + ${formatSeconds(model.modelLoadSeconds)} model load`}; requests meanwhile had no ready pod`,
          fix: 'Keep one node (minNodes: 1) during hours with traffic, or warm the pool up on a schedule before the first requests',
          t: z.firstWaitS,
        });
      }
      if (zeros.length === 0 && spec.minNodes === 0 && summary.finalNodes > 0) {
        const minReplicas = Math.min(...scenario.hpas.map((h) => h.spec.minReplicas ?? 1));
        if (minReplicas > 0) {
          out.push({
            kind: 'nodes-scale-to-zero',
            hpa: scenario.hpas[0]?.metadata.name ?? '',
            severity: 'info',
            title: `The pool never scaled to zero nodes: minReplicas ${minReplicas} keeps a pod, and its node, all the time`,
            evidence: `minNodes 0 allows it, but the cluster autoscaler removes only empty nodes`,
            fix: 'Scale to zero needs minReplicas 0 (feature gate HPAScaleToZero, with an Object or External metric), or accept one node as the floor',
            t: 0,
          });
        }
      }
      return out;
    },
  };
}

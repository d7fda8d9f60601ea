import { describe, expect, it } from 'vitest';
import { applyHpaDefaults, type HorizontalPodAutoscaler } from '../engine/index.js';
import type { HpaView } from '../controller/index.js';
import type { StackStatus } from './stack-status.js';
import { formatPodsTable, formatStackDescribe, formatStatusTable, formatWatchHeader, formatWatchRow } from './status-views.js';

const hpa = (name: string, metric: HorizontalPodAutoscaler['spec']['metrics']): HorizontalPodAutoscaler =>
  applyHpaDefaults({ metadata: { name }, spec: { scaleTargetRef: { kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 10, metrics: metric ?? [] } });

const asr: HpaView = {
  name: 'lightning-asr',
  hpa: hpa('lightning-asr', [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }]),
  status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, current: { averageValue: '7' } } }] },
  createdMs: 0,
  events: [{ type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 3; reason: pods metric asr_active_requests above target', firstMs: 50_000, lastMs: 60_000, count: 2 }],
  lastSyncMs: 90_000,
  lastDecision: undefined,
};
const api: HpaView = {
  ...asr,
  name: 'api-server',
  hpa: hpa('api-server', [{ type: 'External', external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } } }]),
  status: { currentReplicas: 1, desiredReplicas: 2, currentMetrics: [{ type: 'External', external: { metric: { name: 'lightning_asr_replica_count' }, current: { averageValue: '2' } } }] },
  events: [],
};
const status: StackStatus = {
  kind: 'hpa-lab/stack-status',
  nowMs: 90_000,
  startedMs: 0,
  pid: 1,
  namespace: 'default',
  apiUrl: 'http://127.0.0.1:7100',
  syncPeriodSeconds: 1,
  scrapeIntervalSeconds: 1,
  hpas: [asr, api],
  targets: [
    {
      name: 'lightning-asr',
      kind: 'processes',
      specReplicas: 2,
      pods: [
        { name: 'lightning-asr-bcdfg', phase: 'Running', startTimeMs: 30_000, ready: { status: 'True', lastTransitionTimeMs: 31_000 } },
        { name: 'lightning-asr-hjklm', phase: 'Running', deleting: true, startTimeMs: 60_000, ready: { status: 'False', lastTransitionTimeMs: 61_000 } },
      ],
      workers: [
        { name: 'lightning-asr-bcdfg', pid: 101, phase: 'Running', ready: true, deleting: false, restarts: 1, url: undefined, metricsUrl: undefined },
        { name: 'lightning-asr-hjklm', pid: 102, phase: 'Running', ready: false, deleting: true, restarts: 0, url: undefined, metricsUrl: undefined },
      ],
      events: [],
    },
    { name: 'api-server', kind: 'recorded', note: 'recorded, not run', specReplicas: 1, pods: [{ name: 'api-server-xyzzy', phase: 'Running', startTimeMs: 0, ready: { status: 'True', lastTransitionTimeMs: 0 } }], events: [] },
  ],
  scrape: [],
  apiServer: { inFlight: 3, workers: [{ id: 'lightning-asr-bcdfg', ready: true, draining: false, inFlight: 3, routedTotal: 9 }, { id: 'lightning-asr-hjklm', ready: false, draining: true, inFlight: 0, routedTotal: 4 }] },
};

describe('status views', () => {
  it('formatStatusTable() prints kubectl get hpa with ages from the stack\'s clock', () => {
    expect(formatStatusTable(status).split('\n')).toEqual([
      'NAME            REFERENCE                  TARGETS     MINPODS   MAXPODS   REPLICAS   AGE',
      'lightning-asr   Deployment/lightning-asr   7/5         1         10        2          90s',
      'api-server      Deployment/api-server      2/2 (avg)   1         10        1          90s',
    ]);
  });

  it('formatStackDescribe() counts repeated events and notes recorded replicas', () => {
    expect(formatStackDescribe(status, 'lightning-asr')).toMatch(/Normal\s+SuccessfulRescale\s+30s\s+horizontal-pod-autoscaler\s+New size: 3; reason: pods metric asr_active_requests above target \(x2\)$/);
    expect(formatStackDescribe(status, 'api-server')?.split('\n').at(-1)).toBe('Note: Deployment/api-server replicas are recorded, not run.');
    expect(formatStackDescribe(status, 'nope')).toBeUndefined();
  });

  it('formatPodsTable() lists pods with readiness, restarts, pids and in-flight requests', () => {
    expect(formatPodsTable(status).split('\n')).toEqual([
      'NAME                  READY   STATUS        RESTARTS   AGE   PID          IN-FLIGHT',
      'lightning-asr-bcdfg   1/1     Running       1          60s   101          3',
      'lightning-asr-hjklm   0/1     Terminating   0          30s   102          0 (draining)',
      'api-server-xyzzy      1/1     Running       0          90s   (recorded)   -',
    ]);
  });

  it('formatWatchRow() keys a row without its age, so a line prints only on change', () => {
    const a = formatWatchRow(asr, 10_000);
    const b = formatWatchRow(asr, 20_000);
    expect(a.key).toBe(b.key);
    expect(a.line).not.toBe(b.line);
    expect(formatWatchHeader()).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/);
    expect(b.line).toMatch(/^lightning-asr\s+Deployment\/lightning-asr\s+7\/5\s+1\s+10\s+2\s+20s$/);
  });
});

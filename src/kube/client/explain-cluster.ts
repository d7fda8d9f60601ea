/**
 * `explain --cluster`: one controller sync of a live HPA, run by the engine on the readings the
 * controller would take, next to what the HPA's status says, with what is exact and what is
 * reconstructed, and why the two differ when they do.
 */
import { applyHpaDefaults, formatExplanation, reconcile, type ControllerConfigInput, type Decision, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerCondition } from '../../engine/index.js';
import type { KubeClient } from './connect-cluster.js';
import { hpaFromApi, type Json } from './from-api.js';
import { readHpa, readHpaSnapshot, readScale, type HpaSnapshot } from './read-hpa.js';
import { readHpaEvents, reconstructState, type ReconstructedState, type WindowAssumption } from './reconstruct-state.js';
import { engineConfigForVersion, readServerVersion, type ServerVersion } from './server-version.js';

export interface ClusterExplanation {
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
  readonly version: ServerVersion | undefined;
  readonly nowMs: number;
  readonly hpa: HorizontalPodAutoscaler;
  readonly snapshot: HpaSnapshot;
  readonly reconstructed: ReconstructedState;
  readonly decision: Decision;
  readonly differences: readonly string[];
  readonly errors: readonly string[];
}

export interface ExplainClusterOptions {
  readonly namespace: string;
  readonly name: string;
  readonly nowMs: number;
  /** Controller flags when they differ from the defaults (they are not visible through the API). */
  readonly config?: ControllerConfigInput;
  /** What the stabilization window holds when no rescale Event falls in it (see reconstructState). */
  readonly window?: WindowAssumption | undefined;
}

const condKey = (c: Pick<HorizontalPodAutoscalerCondition, 'status' | 'reason'>) => `${c.status} ${c.reason}`;

/** The other HPAs of the namespace with their targets' selectors (for AmbiguousSelector). */
async function otherHpas(client: KubeClient, namespace: string, name: string): Promise<{ name: string; selector: string }[]> {
  const list = await client.get<Json>(`/apis/autoscaling/v2/namespaces/${encodeURIComponent(namespace)}/horizontalpodautoscalers`, { what: `horizontalpodautoscalers in namespace ${namespace}` });
  const others = ((list.items ?? []) as Json[]).map((o) => applyHpaDefaults(hpaFromApi(o))).filter((h) => h.metadata.name !== name);
  const out = await Promise.all(
    others.map(async (h) => {
      try {
        return { name: h.metadata.name, selector: (await readScale(client, namespace, h)).selector };
      } catch {
        return undefined;
      }
    }),
  );
  return out.filter((x): x is { name: string; selector: string } => x !== undefined && x.selector !== '');
}

/** Why ours and the live status differ, in the order a reader should check. */
function explainDifferences(x: { hpa: HorizontalPodAutoscaler; decision: Decision; snapshot: HpaSnapshot; reconstructed: ReconstructedState }): string[] {
  const live = x.hpa.status;
  const out: string[] = [];
  if (!live) return ['the HPA has no status yet: the controller has not synced it'];
  const ours = x.decision.status;
  const diffs: string[] = [];
  if (ours.desiredReplicas !== live.desiredReplicas) diffs.push(`desiredReplicas: ours ${ours.desiredReplicas}, live ${live.desiredReplicas}`);
  for (const c of ours.conditions ?? []) {
    const l = live.conditions?.find((y) => y.type === c.type);
    if (!l) diffs.push(`${c.type}: ours ${condKey(c)}, live absent`);
    else if (condKey(l) !== condKey(c)) diffs.push(`${c.type}: ours ${condKey(c)}, live ${condKey(l)}`);
  }
  if (diffs.length === 0) return [];
  out.push(...diffs);
  const why: string[] = [];
  if (x.snapshot.errors.length) why.push(`we could not read everything the controller reads (${x.snapshot.errors.length} API error(s) above)`);
  const liveMetrics = JSON.stringify(live.currentMetrics ?? []);
  const ourMetrics = JSON.stringify(ours.currentMetrics ?? []);
  if (liveMetrics !== ourMetrics) why.push("the readings moved since the controller's last sync (status.currentMetrics differ from ours): the status is one sync old (15 s by default)");
  const stab = x.decision.explanation.find((s) => s.kind === 'stabilize');
  if (stab && stab.kind === 'stabilize' && (stab.before !== stab.after || x.reconstructed.state.recommendations === null)) {
    why.push('the stabilization window is reconstructed from Events: the controller remembers a recommendation at every sync, we see only rescales');
  }
  why.push('controller flags (--horizontal-pod-autoscaler-tolerance, downscale window, CPU initialization period) may differ from the defaults assumed');
  out.push(`why: ${why.join('; ')}`);
  return out;
}

/** Reads one HPA's world and runs one sync of the engine on it. */
export async function explainCluster(client: KubeClient, opts: ExplainClusterOptions): Promise<ClusterExplanation> {
  const { namespace, name, nowMs } = opts;
  const [version, hpa] = await Promise.all([readServerVersion(client), readHpa(client, namespace, name)]);
  const [others, events] = await Promise.all([otherHpas(client, namespace, name).catch(() => []), readHpaEvents(client, namespace, name).catch(() => [])]);
  const snapshot = await readHpaSnapshot(client, { namespace, hpa, nowMs, ...(others.length ? { otherHpas: others } : {}) });
  const config: ControllerConfigInput = { ...engineConfigForVersion(version), ...opts.config };
  const reconstructed = reconstructState({ hpa, events, nowMs, window: opts.window, ...(config.downscaleStabilizationWindowSeconds !== undefined ? { downscaleStabilizationWindowSeconds: config.downscaleStabilizationWindowSeconds } : {}) });
  const { decision } = reconcile({ hpa, observation: snapshot.observation, state: reconstructed.state, nowMs, config });
  return {
    context: client.context,
    namespace,
    name,
    version,
    nowMs,
    hpa,
    snapshot,
    reconstructed,
    decision,
    differences: explainDifferences({ hpa, decision, snapshot, reconstructed }),
    errors: snapshot.errors.map((e) => e.message),
  };
}

const fmtCond = (c: HorizontalPodAutoscalerCondition) => `${c.type.padEnd(14)} ${c.status.padEnd(5)} ${c.reason.padEnd(26)} ${c.message}`;

/** The terminal view: engine steps, live status, comparison, exact vs reconstructed. */
export function formatClusterExplanation(x: ClusterExplanation): string {
  const ref = x.hpa.spec.scaleTargetRef;
  const scale = x.snapshot.scale;
  const live = x.hpa.status;
  const lines = [
    `HPA ${x.namespace}/${x.name} (context ${x.context}${x.version ? `, server ${x.version.gitVersion}` : ''}, read at ${new Date(x.nowMs).toISOString()})`,
    'error' in scale ? `Target ${ref.kind}/${ref.name}: scale not readable` : `Target ${ref.kind}/${ref.name}: ${scale.specReplicas} replicas, selector '${scale.selector}', ${x.snapshot.pods.length} pod(s) selected`,
    ...x.errors.map((e) => `! ${e}`),
    '',
    'Engine, one sync on the live readings:',
    formatExplanation(x.decision.explanation),
    `   → desiredReplicas ${x.decision.status.desiredReplicas}${x.decision.scaleTo !== null ? ` (would write /scale ${x.decision.scaleTo}; hpa-lab never writes)` : ''}`,
    ...(x.decision.status.conditions ?? []).map((c) => `   ${fmtCond(c)}`),
    '',
    "Live status (the controller's last sync):",
    live
      ? `   currentReplicas ${live.currentReplicas}, desiredReplicas ${live.desiredReplicas}${live.lastScaleTime !== undefined ? `, lastScaleTime ${new Date(live.lastScaleTime).toISOString()}` : ''}`
      : '   (no status)',
    ...(live?.conditions ?? []).map((c) => `   ${fmtCond(c)}`),
    '',
    x.differences.length === 0 ? 'Agreement: our decision matches the live status (desiredReplicas and conditions).' : 'Differences:',
    ...x.differences.map((d) => `   ${d}`),
    '',
    'Exact: the per-metric proposals, tolerance, readiness rules, rate-limit policies and the min/max clamp (the engine on these readings).',
    `Reconstructed: the stabilization window and scale-event history: ${x.reconstructed.notes.join('; ')}.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The JSON view of `explain --cluster --json`. */
export function clusterExplanationJson(x: ClusterExplanation): unknown {
  return {
    context: x.context,
    namespace: x.namespace,
    name: x.name,
    serverVersion: x.version?.gitVersion ?? null,
    ours: { desiredReplicas: x.decision.status.desiredReplicas, scaleTo: x.decision.scaleTo, conditions: x.decision.status.conditions?.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })), metrics: x.decision.metrics, explanation: x.decision.explanation },
    live: x.hpa.status ? { currentReplicas: x.hpa.status.currentReplicas, desiredReplicas: x.hpa.status.desiredReplicas, conditions: x.hpa.status.conditions?.map((c) => ({ type: c.type, status: c.status, reason: c.reason })) } : null,
    agree: x.differences.length === 0,
    differences: x.differences,
    reconstructed: x.reconstructed.notes,
    errors: x.errors,
  };
}


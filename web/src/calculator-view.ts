/**
 * The calculator view: the blog's tool. Inputs for each metric and the replica bounds; the
 * engine's decision with its explanation; desired replicas against the metric value, and against
 * the current replicas (1..maxReplicas) with the identity line, the pattern named in a caption.
 */
import type { HorizontalPodAutoscalerBehavior, HPAScalingPolicy, HPAScalingRules, MetricProposal } from '../../src/engine/index.js';
import { patternName, type CalcResult } from './calculator-model.js';
import { COLORS, createChart, PALETTE, type Chart, type ChartData, type ChartSpec, type Shape } from './charts.js';
import { CancelledError, computer } from './compute-client.js';
import { field, h, setChildren, uid } from './dom.js';
import { CALC_PRESETS } from './calc-presets.js';
import { checkNumber, numberField, PAGE_MAX_REPLICAS, showFieldError, type NumberRule } from './number-check.js';
import { DEFAULT_CALC_NAME, type CalcMetric, type CalcState, type PageState } from './state.js';
import type { ChangeInfo, Store } from './store.js';
import { recordTiming } from './timings.js';

/** A view of the page. */
export interface View {
  readonly element: HTMLElement;
  /** Called on every state change while the view is shown, and when it is shown. */
  render(state: PageState, info: ChangeInfo): void;
}

const NEW_METRIC: CalcMetric = { kind: 'Pods', name: 'asr_active_requests', current: '5', targetType: 'AverageValue', target: '5', request: '' };

/** The calculator's numeric fields and what each accepts. */
export const CALC_RULES = {
  replicas: { label: 'Current replicas', min: 0, max: PAGE_MAX_REPLICAS, integer: true, note: 'the page’s limit' },
  minReplicas: { label: 'minReplicas', min: 1, max: PAGE_MAX_REPLICAS, integer: true, note: 'the page’s limit' },
  maxReplicas: { label: 'maxReplicas', min: 1, max: PAGE_MAX_REPLICAS, integer: true, note: 'the page’s limit' },
  tolerance: { label: 'Tolerance', min: 0, max: 1, note: '0.1 = ±10 %' },
  window: { label: 'stabilizationWindowSeconds', min: 0, max: 3600, integer: true, empty: 'unset' },
  directionTolerance: { label: 'tolerance', min: 0, max: 1, empty: 'unset' },
} as const satisfies Record<string, NumberRule>;

const POLICY_RE = /^(pods|percent)\s+(\d+)\s*(?:per|\/)\s*(\d+)\s*s?$/i;

/**
 * Policies as typed: `Pods 4 per 15s, Percent 100 per 15s` (empty: the defaults).
 *
 * @example parsePolicies('Pods 4 per 15s', 'scaleUp') // -> { ok: true, policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] }
 */
export function parsePolicies(text: string, direction: string): { ok: true; policies: HPAScalingPolicy[] | undefined } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, policies: undefined };
  const out: HPAScalingPolicy[] = [];
  for (const part of t.split(/[,;]/).map((x) => x.trim()).filter(Boolean)) {
    const m = POLICY_RE.exec(part);
    const value = Number(m?.[2]);
    const period = Number(m?.[3]);
    if (!m || value < 1 || period < 1 || period > 1800) {
      return { ok: false, error: `${direction} policies must be like 'Pods 4 per 15s, Percent 100 per 15s' (value ≥ 1, period 1 to 1800 s): got '${part}'` };
    }
    out.push({ type: m[1]!.toLowerCase() === 'pods' ? 'Pods' : 'Percent', value, periodSeconds: period });
  }
  return { ok: true, policies: out };
}

const formatPolicies = (ps: readonly HPAScalingPolicy[] | null | undefined): string => (ps ?? []).map((p) => `${p.type} ${p.value} per ${p.periodSeconds}s`).join(', ');

function select(options: readonly (readonly [string, string])[], value: string, attrs: Record<string, unknown> = {}): HTMLSelectElement {
  return h('select', attrs, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

function formatProposalValue(m: MetricProposal | undefined, metric: CalcMetric): string {
  if (!m || m.current === undefined) return '–';
  const show = (x: number | undefined): string => {
    if (x === undefined) return '–';
    if (m.targetType === 'Utilization') return `${Math.round(x)}%`;
    if (metric.kind === 'Resource' && metric.name === 'cpu') return `${Math.round(x * 1000)}m`;
    if (metric.kind === 'Resource' && metric.name === 'memory') return `${Math.round(x / 1048576)}Mi`;
    return String(Math.round(x * 1000) / 1000);
  };
  return `${show(m.current)} / ${show(m.target)}`;
}

/** Creates the calculator view. */
export function createCalculatorView(store: Store): View {
  const form = h('form', { class: 'calc-form', 'aria-label': 'Calculator inputs', onsubmit: (e: Event) => e.preventDefault() });
  const desiredEl = h('output', { class: 'big-number', 'data-testid': 'desired', 'aria-live': 'polite' }, '–');
  const actionEl = h('p', { class: 'action', 'data-testid': 'action' });
  const patternEl = h('strong', { 'data-testid': 'pattern' });
  const metricsTable = h('div', { class: 'table-wrap' });
  const stepsEl = h('ol', { class: 'steps', 'data-testid': 'steps' });
  const errorsEl = h('div', { class: 'errors', role: 'alert' });
  const captionEl = h('p', { class: 'caption', 'data-testid': 'caption' });
  const sweepSelect = h('select', { id: uid('sweep') });
  const chartsTop = h('div', { class: 'chart-slot' });
  const chartsBottom = h('div', { class: 'chart-slot' });
  const curveTable = h('div', { class: 'table-wrap' });
  let sweepChart: Chart | undefined;
  let curveChart: Chart | undefined;
  const staleEl = h('p', { class: 'stale-banner', 'data-testid': 'stale', role: 'status', hidden: true });
  const whyEl = h('p', { class: 'why', 'data-testid': 'why' });
  const readingsEl = h('dl', { class: 'readings', 'data-testid': 'readings' });

  const results = h(
    'section',
    { class: 'calc-results', 'aria-label': 'Calculator results' },
    h(
      'div',
      { class: 'headline' },
      h('div', { class: 'desired' }, h('span', { class: 'label' }, 'Desired replicas'), desiredEl),
      h('div', { class: 'headline-text' }, actionEl, whyEl, h('p', { class: 'pattern' }, 'Pattern: ', patternEl)),
    ),
    staleEl,
    readingsEl,
    errorsEl,
    metricsTable,
    h('details', { class: 'explain', open: true }, h('summary', null, 'How the engine reached the number'), stepsEl),
    h('div', { class: 'chart-grid' }, h('div', null, h('div', { class: 'inline-field' }, h('label', { for: sweepSelect.id }, 'Metric on the x axis'), sweepSelect), chartsTop), h('div', null, chartsBottom, captionEl)),
    h('details', null, h('summary', null, 'Desired against current replicas, as a table'), curveTable),
  );
  const element = h(
    'div',
    { class: 'view-calculator two-col' },
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'calc-inputs-h' },
      h('h2', { id: 'calc-inputs-h' }, 'Inputs'),
      h('p', { class: 'lede' }, 'desiredReplicas = ceil(currentReplicas × currentValue / targetValue), per metric; the largest wins, within min and max.'),
      form,
    ),
    results,
  );

  /** The form as a state, or the fields that are wrong (each marked next to its field). */
  const readForm = (): { calc: CalcState | undefined; problems: string[] } => {
    const input = (name: string, scope: ParentNode = form): HTMLInputElement | null => scope.querySelector(`[data-field="${name}"]`);
    const get = (name: string, scope: ParentNode = form): string => input(name, scope)?.value ?? '';
    const problems: string[] = [];
    const checked = (name: string, rule: NumberRule): number | undefined => {
      const el = input(name);
      if (!el) return undefined;
      const c = checkNumber(el.value, rule);
      showFieldError(el, c.ok ? undefined : c.error);
      if (!c.ok) {
        problems.push(c.error);
        return undefined;
      }
      return c.value;
    };
    const metrics = Array.from(form.querySelectorAll<HTMLFieldSetElement>('fieldset.metric')).map((fs): CalcMetric => {
      const kind = get('kind', fs) as CalcMetric['kind'];
      return {
        kind,
        name: get('name', fs),
        current: get('current', fs),
        targetType: get('targetType', fs) as CalcMetric['targetType'],
        target: get('target', fs),
        request: kind === 'Resource' ? get('request', fs) : '',
      };
    });
    const replicas = checked('replicas', CALC_RULES.replicas);
    const minReplicas = checked('minReplicas', CALC_RULES.minReplicas);
    let maxReplicas = checked('maxReplicas', CALC_RULES.maxReplicas);
    const tolerance = checked('tolerance', CALC_RULES.tolerance);
    if (minReplicas !== undefined && maxReplicas !== undefined && maxReplicas < minReplicas) {
      const error = `maxReplicas must be ≥ minReplicas (${minReplicas}): got '${maxReplicas}'`;
      showFieldError(input('maxReplicas')!, error);
      problems.push(error);
      maxReplicas = undefined;
    }
    let behavior: HorizontalPodAutoscalerBehavior | undefined;
    if ((input('behavior.set'))?.checked) {
      const rules = (d: 'scaleUp' | 'scaleDown'): HPAScalingRules => {
        const w = checked(`${d}.stabilizationWindowSeconds`, { ...CALC_RULES.window, label: `${d} stabilizationWindowSeconds` });
        const tol = checked(`${d}.tolerance`, { ...CALC_RULES.directionTolerance, label: `${d} tolerance` });
        const pol = parsePolicies(get(`${d}.policies`), d);
        const polEl = input(`${d}.policies`);
        if (polEl) showFieldError(polEl, pol.ok ? undefined : pol.error);
        if (!pol.ok) problems.push(pol.error);
        const sel = get(`${d}.selectPolicy`);
        return {
          ...(w === undefined ? {} : { stabilizationWindowSeconds: w }),
          ...(sel ? { selectPolicy: sel } : {}),
          ...(pol.ok && pol.policies ? { policies: pol.policies } : {}),
          ...(tol === undefined ? {} : { tolerance: tol }),
        };
      };
      behavior = { scaleUp: rules('scaleUp'), scaleDown: rules('scaleDown') };
    }
    if (problems.length > 0 || replicas === undefined || minReplicas === undefined || maxReplicas === undefined || tolerance === undefined) return { calc: undefined, problems };
    const prev = store.get().calc;
    const name = get('hpaName').trim();
    return {
      calc: {
        replicas,
        minReplicas,
        maxReplicas,
        tolerance,
        metrics,
        sweepMetric: Math.min(prev.sweepMetric, Math.max(0, metrics.length - 1)),
        ...(name ? { name } : {}),
        ...(behavior ? { behavior } : {}),
      },
      problems,
    };
  };
  /** Whether a field holds a bad number: the results shown are then for the last valid inputs. */
  let stale: string[] = [];
  const showStale = (): void => {
    staleEl.hidden = stale.length === 0;
    results.classList.toggle('is-stale', stale.length > 0);
    staleEl.textContent = stale.length === 0 ? '' : `Stale: these results are for the last valid inputs. Fix ${stale.length === 1 ? 'the field' : `${stale.length} fields`} marked in red: ${stale[0]}`;
  };
  const commit = (rebuild = false): void => {
    const { calc, problems } = readForm();
    stale = problems;
    showStale();
    if (calc) store.update((s) => ({ ...s, calc }), { rebuild });
  };

  const metricFieldset = (m: CalcMetric, i: number, count: number): HTMLFieldSetElement => {
    const kind = select(
      [
        ['Resource', 'Resource'],
        ['Pods', 'Pods'],
        ['External', 'External'],
      ],
      m.kind,
      { 'data-field': 'kind', onchange: () => commit(true) },
    );
    const types: [string, string][] =
      m.kind === 'Resource'
        ? [
            ['Utilization', 'Utilization'],
            ['AverageValue', 'AverageValue'],
          ]
        : m.kind === 'Pods'
          ? [['AverageValue', 'AverageValue']]
          : [
              ['AverageValue', 'AverageValue'],
              ['Value', 'Value'],
            ];
    const targetType = select(types, m.targetType, { 'data-field': 'targetType', onchange: () => commit(true) });
    const text = (name: string, value: string, extra: Record<string, unknown> = {}): HTMLInputElement =>
      h('input', { type: 'text', value, 'data-field': name, autocomplete: 'off', spellcheck: 'false', oninput: () => commit(), ...extra });
    const unitHint = m.kind === 'Resource' ? (m.name === 'memory' ? 'e.g. 1100Mi, or 81% of the request' : 'e.g. 600m, or 120% of the request') : m.kind === 'External' ? 'the total, e.g. 12' : 'per pod, e.g. 7';
    return h(
      'fieldset',
      { class: 'metric', 'data-index': i },
      h('legend', null, `Metric ${i + 1}`),
      h(
        'div',
        { class: 'grid' },
        field('Type', kind, m.kind === 'Resource' ? 'cpu, memory' : m.kind === 'Pods' ? 'a custom metric per pod' : 'one value for all pods'),
        field('Name', text('name', m.name, { list: 'metric-names' })),
        field(m.kind === 'External' ? 'Current value' : 'Current value per pod', text('current', m.current, { 'aria-label': `Metric ${i + 1} current value` }), unitHint),
        field('Target type', targetType, m.targetType === 'Utilization' ? '% of the request' : m.targetType === 'Value' ? 'the total' : 'per pod'),
        field(m.targetType === 'Utilization' ? 'Target (%)' : 'Target', text('target', m.target, { inputmode: m.targetType === 'Utilization' ? 'numeric' : 'text' })),
        m.kind === 'Resource' ? field('Request per pod', text('request', m.request), 'resources.requests, e.g. 500m, 1350Mi') : null,
      ),
      count > 1
        ? h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => {
                const calc = store.get().calc;
                store.update((s) => ({ ...s, calc: { ...calc, metrics: calc.metrics.filter((_, k) => k !== i), sweepMetric: 0 } }), { rebuild: true });
              },
            },
            `Remove metric ${i + 1}`,
          )
        : null,
    );
  };

  const behaviorBlock = (calc: CalcState): HTMLElement => {
    const b = calc.behavior;
    const set = h('input', { type: 'checkbox', checked: b !== undefined, 'data-field': 'behavior.set', onchange: () => commit(true) });
    const direction = (d: 'scaleUp' | 'scaleDown'): HTMLElement => {
      const r = b?.[d] ?? undefined;
      const sel = h(
        'select',
        { 'data-field': `${d}.selectPolicy`, onchange: () => commit() },
        h('option', { value: '', selected: !r?.selectPolicy }, 'default (Max)'),
        ...['Max', 'Min', 'Disabled'].map((v) => h('option', { value: v, selected: r?.selectPolicy === v }, v)),
      );
      const defaults = d === 'scaleUp' ? 'Percent 100 per 15s, Pods 4 per 15s' : 'Percent 100 per 15s';
      return h(
        'fieldset',
        { class: `direction ${d}` },
        h('legend', null, d === 'scaleUp' ? 'Scale up' : 'Scale down'),
        h(
          'div',
          { class: 'grid two' },
          numberField('Stabilization window (s)', {
            value: r?.stabilizationWindowSeconds ?? undefined,
            rule: { ...CALC_RULES.window, label: `${d} stabilizationWindowSeconds` },
            attrs: { 'data-field': `${d}.stabilizationWindowSeconds`, placeholder: d === 'scaleUp' ? '0' : '300' },
            hint: 'one sync has no history: it matters over time',
            onInput: () => commit(),
          }),
          field('selectPolicy', sel),
          field('Policies', h('input', { type: 'text', value: formatPolicies(r?.policies), placeholder: defaults, 'data-field': `${d}.policies`, autocomplete: 'off', spellcheck: 'false', oninput: () => commit() }), `empty: ${defaults}`),
          numberField('Tolerance', {
            value: r?.tolerance === undefined || r.tolerance === null ? undefined : Number(r.tolerance),
            rule: { ...CALC_RULES.directionTolerance, label: `${d} tolerance` },
            attrs: { 'data-field': `${d}.tolerance`, placeholder: 'the flag’s' },
            hint: 'per direction (HPAConfigurableTolerance)',
            onInput: () => commit(),
          }),
        ),
      );
    };
    return h(
      'details',
      { class: 'behavior', open: b !== undefined },
      h('summary', null, 'Behavior (spec.behavior)'),
      h('label', { class: 'check' }, set, ' Set behavior; without it the legacy limit applies: at most max(2 × current, 4) per sync'),
      b ? [direction('scaleUp'), direction('scaleDown')] : null,
    );
  };

  const buildForm = (calc: CalcState): void => {
    const presets = h(
      'div',
      { class: 'presets', role: 'group', 'aria-label': 'Presets' },
      ...CALC_PRESETS.map((p) => h('button', { type: 'button', class: 'chip', onclick: () => store.update((s) => ({ ...s, calc: p.calc }), { rebuild: true }) }, p.label)),
    );
    setChildren(
      form,
      h('p', { class: 'group-label' }, 'Presets'),
      presets,
      h(
        'div',
        { class: 'grid four' },
        numberField('Current replicas', { value: calc.replicas, rule: CALC_RULES.replicas, attrs: { 'data-field': 'replicas' }, onInput: () => commit() }),
        numberField('minReplicas', { value: calc.minReplicas, rule: CALC_RULES.minReplicas, attrs: { 'data-field': 'minReplicas' }, onInput: () => commit() }),
        numberField('maxReplicas', { value: calc.maxReplicas, rule: CALC_RULES.maxReplicas, attrs: { 'data-field': 'maxReplicas' }, onInput: () => commit() }),
        numberField('Tolerance', { value: calc.tolerance, rule: CALC_RULES.tolerance, attrs: { 'data-field': 'tolerance' }, hint: '0.1 = ±10 %', onInput: () => commit() }),
      ),
      field('HPA name', h('input', { type: 'text', value: calc.name ?? '', placeholder: DEFAULT_CALC_NAME, 'data-field': 'hpaName', autocomplete: 'off', spellcheck: 'false', oninput: () => commit() }), `metadata.name and the Deployment’s; empty: ${DEFAULT_CALC_NAME}`),
      behaviorBlock(calc),
      ...calc.metrics.map((m, i) => metricFieldset(m, i, calc.metrics.length)),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => store.update((s) => ({ ...s, calc: { ...s.calc, metrics: [...s.calc.metrics, NEW_METRIC] } }), { rebuild: true }) },
        'Add a metric',
      ),
      h('datalist', { id: 'metric-names' }, ...['cpu', 'memory', 'asr_active_requests', 'asr_gpu_utilization', 'lightning_asr_replica_count'].map((v) => h('option', { value: v }))),
    );
    setChildren(sweepSelect, ...calc.metrics.map((m, i) => h('option', { value: String(i), selected: i === calc.sweepMetric }, m.name || `metric ${i + 1}`)));
  };
  sweepSelect.addEventListener('change', () => store.update((s) => ({ ...s, calc: { ...s.calc, sweepMetric: Number(sweepSelect.value) } })));

  const drawResult = (calc: CalcState, r: CalcResult): void => {
    // Field errors next to their fields.
    // (A bad number's mark, `.field-error.number`, belongs to the field's own check.)
    for (const el of Array.from(form.querySelectorAll('.field-error:not(.number)'))) el.remove();
    for (const el of Array.from(form.querySelectorAll('[aria-invalid]'))) if (!el.parentElement?.querySelector('.field-error.number')) el.removeAttribute('aria-invalid');
    for (const e of r.inputs.errors) {
      const m = /^metrics\[(\d+)\]\.(\w+)$/.exec(e.field);
      const scope = m ? form.querySelector(`fieldset.metric[data-index="${m[1]}"]`) : form;
      const input = scope?.querySelector(`[data-field="${m ? m[2] : e.field}"]`);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.parentElement?.append(h('small', { class: 'field-error' }, e.message));
      }
    }
    setChildren(errorsEl, ...(r.inputs.errors.length ? [h('p', null, `Fix ${r.inputs.errors.length === 1 ? 'the field' : `${r.inputs.errors.length} fields`} marked in red to see the decision.`)] : []));
    const d = r.decision;
    whyEl.textContent = r.why;
    const rd = r.readings;
    const plural = (n: number): string => `${n} replica${n === 1 ? '' : 's'}`;
    setChildren(
      readingsEl,
      ...(rd
        ? [
            h('dt', null, 'By the formula now'),
            h('dd', { 'data-testid': 'reading-formula' }, plural(rd.formula)),
            h('dt', null, 'Next sync'),
            h('dd', { 'data-testid': 'reading-next' }, plural(rd.nextSync)),
            h('dt', null, 'Eventually'),
            h(
              'dd',
              { 'data-testid': 'reading-eventually' },
              rd.eventually === undefined ? 'no fixed point on the curve' : `${plural(rd.eventually)}${rd.syncs ? ` (after ${rd.syncs} step${rd.syncs === 1 ? '' : 's'} along the curve, if per-pod usage holds)` : ''}`,
            ),
          ]
        : []),
    );
    desiredEl.textContent = r.desiredReplicas === undefined ? '–' : String(r.desiredReplicas);
    actionEl.textContent = !d
      ? ''
      : d.scaleTo === null
        ? `Stay at ${plural(calc.replicas)}`
        : `Scale ${d.scaleTo > calc.replicas ? 'up' : 'down'}: ${calc.replicas} → ${d.scaleTo}`;
    patternEl.textContent = r.patternName || '–';
    patternEl.className = r.curve ? `pattern-${r.curve.pattern}` : '';
    setChildren(
      metricsTable,
      d
        ? h(
            'table',
            { class: 'data' },
            h('caption', { class: 'sr-only' }, 'Each metric’s proposal'),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col' }, 'Current / target'), h('th', { scope: 'col' }, 'Proposal'), h('th', { scope: 'col' }, 'Alone, its curve is'))),
            h(
              'tbody',
              null,
              ...r.metrics.map((m, k) =>
                h(
                  'tr',
                  { class: m.winner ? 'winner' : '' },
                  h('th', { scope: 'row' }, m.label, m.winner ? h('span', { class: 'badge' }, 'wins') : null),
                  h('td', null, formatProposalValue(d.metrics[k], calc.metrics[k]!)),
                  h('td', null, m.proposal === undefined ? (m.error ?? 'failed') : String(m.proposal)),
                  h('td', null, m.pattern ? patternName(m.pattern) : '–'),
                ),
              ),
            ),
          )
        : null,
    );
    setChildren(stepsEl, ...r.steps.map((s) => h('li', null, s)));
    captionEl.textContent = r.caption;

    // Desired against the metric value.
    const sw = r.sweep;
    const sweepSpec: ChartSpec = {
      title: sw ? `Desired replicas against ${sw.xLabel}, at ${calc.replicas} current replica${calc.replicas === 1 ? '' : 's'}` : 'Desired replicas against the metric value',
      height: 240,
      x: { label: sw?.xLabel ?? 'metric value' },
      y: { label: 'replicas', min: 0, integer: true, max: calc.maxReplicas },
      series: [
        { label: 'desired (all metrics)', color: COLORS.blue, width: 2.5, stepped: true },
        { label: sw ? `${calc.metrics[sw.metric]?.name ?? ''} alone` : 'this metric alone', color: COLORS.orange, dash: [6, 4], stepped: true },
      ],
      markers: sw
        ? [
            ...(sw.targetX === undefined ? [] : [{ x: sw.targetX, color: COLORS.green, dash: [4, 4], label: 'target' }]),
            ...(sw.currentX === undefined ? [] : [{ x: sw.currentX, color: COLORS.vermillion, label: 'current' }]),
          ]
        : [],
    };
    // The tolerance band: metric values whose ratio to the target is within the tolerance.
    const tolUp = calc.behavior?.scaleUp?.tolerance ?? calc.tolerance;
    const tolDown = calc.behavior?.scaleDown?.tolerance ?? calc.tolerance;
    if (sw?.targetX !== undefined) {
      const lo = sw.targetX * (1 - Number(tolDown));
      const hi = sw.targetX * (1 + Number(tolUp));
      (sweepSpec as { shapes?: readonly Shape[] }).shapes = [{ kind: 'polygon', color: 'rgba(0,158,115,0.13)', points: [[lo, -1e6], [hi, -1e6], [hi, 1e6], [lo, 1e6]] }];
    }
    const sweepData: ChartData = sw ? [sw.x, sw.desired, sw.proposal] : [[0], [null], [null]];
    if (sweepChart) sweepChart.update(sweepSpec, sweepData);
    else sweepChart = createChart(chartsTop, sweepSpec, sweepData);

    // Desired against current replicas, with the identity line.
    const pts = r.curve?.points ?? [];
    const curveSpec: ChartSpec = {
      title: `Desired against current replicas (1..${calc.maxReplicas}${pts.length < calc.maxReplicas ? `, ${pts.length} sizes sampled` : ''}), each pod keeping its readings; red: the path from ${Math.max(1, calc.replicas)}, green: the tolerance band`,
      height: 240,
      x: { label: 'current replicas', integer: true, ...(pts.length ? { min: 1, max: Math.max(2, calc.maxReplicas) } : {}) },
      y: { label: 'desired replicas', min: 0, integer: true, max: calc.maxReplicas },
      series: [
        { label: 'f(x) = x (stays)', color: COLORS.grey, dash: [3, 3], width: 1.25 },
        { label: 'desired', color: COLORS.blue, width: 2.5, points: true },
        ...calc.metrics.map((m, k) => ({ label: `${m.name || `metric ${k + 1}`} alone`, color: PALETTE[(k + 1) % PALETTE.length]!, dash: [6, 4], width: 1.25 })),
      ],
    };
    // The tolerance band around f(x) = x, and the iteration from the current size (a cobweb).
    const top = Math.max(2, calc.maxReplicas);
    const shapes: Shape[] = [
      { kind: 'polygon', color: 'rgba(0,158,115,0.13)', points: [[0, 0], [top, top * (1 + Number(tolUp))], [top, top * (1 - Number(tolDown))]] },
    ];
    const path = r.cobweb;
    if (path.length > 1) {
      const pts: [number, number][] = [[path[0]!, path[0]!]];
      for (let i = 1; i < path.length; i++) pts.push([path[i - 1]!, path[i]!], [path[i]!, path[i]!]);
      shapes.push({ kind: 'polyline', color: COLORS.vermillion, width: 1.75, points: pts, arrows: true });
    }
    (curveSpec as { shapes?: readonly Shape[] }).shapes = shapes;
    const curveData: ChartData = [
      pts.map((p) => p.currentReplicas),
      pts.map((p) => p.currentReplicas),
      pts.map((p) => p.desiredReplicas),
      ...calc.metrics.map((_, k) => pts.map((p) => (p.perMetric[k] === undefined ? null : Math.min(calc.maxReplicas, Math.max(calc.minReplicas, p.perMetric[k]))))),
    ];
    if (curveChart) curveChart.update(curveSpec, curveData);
    else curveChart = createChart(chartsBottom, curveSpec, curveData);

    setChildren(
      curveTable,
      pts.length
        ? h(
            'table',
            { class: 'data' },
            h(
              'thead',
              null,
              h('tr', null, h('th', { scope: 'col' }, 'Current'), ...calc.metrics.map((m) => h('th', { scope: 'col' }, `→ ${m.name}`)), h('th', { scope: 'col' }, 'Desired'), h('th', { scope: 'col' }, '')),
            ),
            h(
              'tbody',
              null,
              ...pts.map((p) =>
                h(
                  'tr',
                  null,
                  h('th', { scope: 'row' }, String(p.currentReplicas)),
                  ...p.perMetric.map((x) => h('td', null, x === undefined ? '–' : String(x))),
                  h('td', null, String(p.desiredReplicas)),
                  h('td', null, p.desiredReplicas > p.currentReplicas ? '↑ grows' : p.desiredReplicas < p.currentReplicas ? '↓ shrinks' : p.currentReplicas === calc.maxReplicas ? '= maxReplicas' : '= fixed point'),
                ),
              ),
            ),
          )
        : null,
    );
  };

  let built = false;
  return {
    element,
    render(state, info) {
      if (!built || info.rebuild) {
        buildForm(state.calc);
        built = true;
      } else if (sweepSelect.options.length !== state.calc.metrics.length) {
        setChildren(sweepSelect, ...state.calc.metrics.map((m, i) => h('option', { value: String(i), selected: i === state.calc.sweepMetric }, m.name || `metric ${i + 1}`)));
      }
      const t0 = performance.now();
      const calc = state.calc;
      computer()
        .calc(calc)
        .then(async ({ result }) => {
          const t1 = performance.now();
          drawResult(calc, result);
          await Promise.resolve();
          const t2 = performance.now();
          recordTiming({ view: 'calculator', recomputeMs: t1 - t0, redrawMs: t2 - t1, totalMs: t2 - t0 });
        })
        .catch((error: unknown) => {
          if (!(error instanceof CancelledError)) setChildren(errorsEl, h('p', null, (error as Error).message));
        });
    },
  };
}

/**
 * The calculator view: the blog's tool. Inputs for each metric and the replica bounds; the
 * engine's decision with its explanation; desired replicas against the metric value, and against
 * the current replicas (1..maxReplicas) with the identity line, the pattern named in a caption.
 */
import type { MetricProposal } from '../../src/engine/index.js';
import { computeCalculator, patternName, type CalcResult } from './calculator-model.js';
import { COLORS, createChart, PALETTE, type Chart, type ChartData, type ChartSpec } from './charts.js';
import { field, h, setChildren, uid } from './dom.js';
import { CALC_PRESETS } from './calc-presets.js';
import type { CalcMetric, CalcState, PageState } from './state.js';
import type { ChangeInfo, Store } from './store.js';
import { measure } from './timings.js';

/** A view of the page. */
export interface View {
  readonly element: HTMLElement;
  /** Called on every state change while the view is shown, and when it is shown. */
  render(state: PageState, info: ChangeInfo): void;
}

const NEW_METRIC: CalcMetric = { kind: 'Pods', name: 'asr_active_requests', current: '5', targetType: 'AverageValue', target: '5', request: '' };

function numberInput(value: number, attrs: Record<string, unknown>): HTMLInputElement {
  return h('input', { type: 'number', inputmode: 'decimal', value: String(value), ...attrs });
}

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

  const results = h(
    'section',
    { class: 'calc-results', 'aria-label': 'Calculator results' },
    h(
      'div',
      { class: 'headline' },
      h('div', { class: 'desired' }, h('span', { class: 'label' }, 'Desired replicas'), desiredEl),
      h('div', { class: 'headline-text' }, actionEl, h('p', { class: 'pattern' }, 'Pattern: ', patternEl)),
    ),
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

  const readForm = (): CalcState => {
    const get = (name: string, scope: ParentNode = form): string => scope.querySelector<HTMLInputElement>(`[data-field="${name}"]`)?.value ?? '';
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
    const num = (name: string, fallback: number): number => {
      const v = Number(get(name));
      return get(name).trim() === '' || !Number.isFinite(v) ? fallback : v;
    };
    const prev = store.get().calc;
    return {
      replicas: Math.max(0, Math.round(num('replicas', prev.replicas))),
      minReplicas: Math.max(1, Math.round(num('minReplicas', prev.minReplicas))),
      maxReplicas: Math.max(1, Math.round(num('maxReplicas', prev.maxReplicas))),
      tolerance: Math.max(0, num('tolerance', prev.tolerance)),
      metrics,
      sweepMetric: Math.min(prev.sweepMetric, Math.max(0, metrics.length - 1)),
    };
  };
  const commit = (rebuild = false): void => store.update((s) => ({ ...s, calc: readForm() }), { rebuild });

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
        field('Current replicas', numberInput(calc.replicas, { min: 0, step: 1, 'data-field': 'replicas', oninput: () => commit() })),
        field('minReplicas', numberInput(calc.minReplicas, { min: 1, step: 1, 'data-field': 'minReplicas', oninput: () => commit() })),
        field('maxReplicas', numberInput(calc.maxReplicas, { min: 1, step: 1, 'data-field': 'maxReplicas', oninput: () => commit() })),
        field('Tolerance', numberInput(calc.tolerance, { min: 0, step: 0.01, 'data-field': 'tolerance', oninput: () => commit() }), '0.1 = ±10 %'),
      ),
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
    for (const el of Array.from(form.querySelectorAll('[aria-invalid]'))) el.removeAttribute('aria-invalid');
    for (const el of Array.from(form.querySelectorAll('.field-error'))) el.remove();
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
    desiredEl.textContent = r.desiredReplicas === undefined ? '–' : String(r.desiredReplicas);
    actionEl.textContent = !d
      ? ''
      : d.scaleTo === null
        ? `Stay at ${calc.replicas} replica${calc.replicas === 1 ? '' : 's'}`
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
    const sweepData: ChartData = sw ? [sw.x, sw.desired, sw.proposal] : [[0], [null], [null]];
    if (sweepChart) sweepChart.update(sweepSpec, sweepData);
    else sweepChart = createChart(chartsTop, sweepSpec, sweepData);

    // Desired against current replicas, with the identity line.
    const pts = r.curve?.points ?? [];
    const curveSpec: ChartSpec = {
      title: `Desired against current replicas (1..${calc.maxReplicas}), each pod keeping its readings`,
      height: 240,
      x: { label: 'current replicas', integer: true, ...(pts.length ? { min: 1, max: Math.max(2, calc.maxReplicas) } : {}) },
      y: { label: 'desired replicas', min: 0, integer: true, max: calc.maxReplicas },
      series: [
        { label: 'f(x) = x (stays)', color: COLORS.grey, dash: [3, 3], width: 1.25 },
        { label: 'desired', color: COLORS.blue, width: 2.5, points: true },
        ...calc.metrics.map((m, k) => ({ label: `${m.name || `metric ${k + 1}`} alone`, color: PALETTE[(k + 1) % PALETTE.length]!, dash: [6, 4], width: 1.25 })),
      ],
    };
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
      void measure('calculator', () => computeCalculator(state.calc), (r) => drawResult(state.calc, r));
    },
  };
}

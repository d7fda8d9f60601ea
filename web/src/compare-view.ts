/**
 * The compare view: two or more HPA configurations on the same traffic and seed, overlaid, with
 * their summary figures side by side (the best of each row marked).
 */
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
import type { SimResult } from '../../src/sim/index.js';
import type { View } from './calculator-view.js';
import { createChart, PALETTE, type Chart } from './charts.js';
import { field, fmt, h, setChildren } from './dom.js';
import { createHpaForm } from './hpa-form.js';
import { CancelledError, computer } from './compute-client.js';
import { compareScenarios, loadScenarioState } from './scenario-model.js';
import type { CompareConfig, PageState } from './state.js';
import type { ChangeInfo, Store } from './store.js';
import { summaryFigures, type Figure } from './summary-figures.js';
import { overlayChart } from './timeline-charts.js';
import { recordTiming } from './timings.js';

type Patch = (hpa: HorizontalPodAutoscaler) => HorizontalPodAutoscaler;

/** `Δ +3.2 (+12 %)` against the first configuration, green when better, red when worse. */
function diffAgainst(base: number | null, value: number | null, lowerIsBetter: boolean | undefined): HTMLElement | null {
  if (base === null || value === null || !Number.isFinite(base) || !Number.isFinite(value)) return null;
  const d = value - base;
  const rel = base !== 0 ? ` (${d >= 0 ? '+' : ''}${Math.round((100 * d) / Math.abs(base))} %)` : '';
  const text = d === 0 ? 'Δ 0' : `Δ ${d > 0 ? '+' : '−'}${fmt(Math.abs(d), 2)}${rel}`;
  const cls = d === 0 || lowerIsBetter === undefined ? 'same' : (d < 0) === lowerIsBetter ? 'better' : 'worse';
  return h('small', { class: `diff ${cls}`, 'data-testid': 'compare-diff' }, text);
}

function withRules(hpa: HorizontalPodAutoscaler, up: Record<string, unknown>, down: Record<string, unknown>): HorizontalPodAutoscaler {
  const b = hpa.spec.behavior ?? {};
  return { ...hpa, spec: { ...hpa.spec, behavior: { scaleUp: { ...(b.scaleUp ?? {}), ...up }, scaleDown: { ...(b.scaleDown ?? {}), ...down } } } };
}

/** Ready-made alternatives, after seed 000's troubleshooting advice. */
export const COMPARE_PRESETS: readonly { readonly name: string; readonly patch: Patch }[] = [
  { name: 'faster scale-down (120 s window)', patch: (x) => withRules(x, {}, { stabilizationWindowSeconds: 120 }) },
  { name: 'calmer (up 30 s, down 600 s)', patch: (x) => withRules(x, { stabilizationWindowSeconds: 30 }, { stabilizationWindowSeconds: 600 }) },
  { name: 'no scale-down window (0 s)', patch: (x) => withRules(x, {}, { stabilizationWindowSeconds: 0 }) },
];

/** Creates the compare view. */
export function createCompareView(store: Store): View {
  const configsEl = h('div', { class: 'configs' });
  const tableEl = h('div', { class: 'table-wrap', 'data-testid': 'compare-table' });
  const chartsEl = h('div', { class: 'timeline-charts' });
  const messages = h('div', { class: 'messages', role: 'status' });
  let charts: Chart[] = [];
  const staleEl = h('p', { class: 'stale-banner', 'data-testid': 'stale', role: 'status', hidden: true });
  const staleBy = new Map<string, string>();
  let lastKey = '';
  let lastRuns: { name: string; result: SimResult }[] = [];

  const element = h(
    'div',
    { class: 'view-compare two-col' },
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'compare-h' },
      h('h2', { id: 'compare-h' }, 'Configurations'),
      h('p', { class: 'lede' }, 'Each runs on the traffic and seed of the Scenario view. “current” is the HPA as edited there.'),
      configsEl,
    ),
    h('section', { class: 'results', 'aria-label': 'Comparison' }, staleEl, messages, tableEl, chartsEl),
  );

  const hpaName = (state: PageState): string | undefined => {
    const loaded = loadScenarioState(state.scenario);
    return loaded.scenario.hpas[Math.min(state.scenario.hpa, loaded.scenario.hpas.length - 1)]?.metadata.name;
  };

  const buildConfigs = (state: PageState): void => {
    const loaded = loadScenarioState(state.scenario);
    const name = hpaName(state);
    const original = loaded.scenario.hpas.find((x) => x.metadata.name === name);
    const current = name === undefined ? undefined : (state.scenario.overrides[name] ?? original);
    const setConfigs = (fn: (c: readonly CompareConfig[]) => CompareConfig[], rebuild = false): void =>
      store.update((s) => ({ ...s, compare: { ...s.compare, configs: fn(s.compare.configs) } }), { rebuild });
    const add = (label: string, patch: Patch): void => {
      if (!name || !current) return;
      setConfigs((c) => [...c, { name: label, overrides: { ...state.scenario.overrides, [name]: patch(current) } }], true);
    };
    const variantsBox = h('input', {
      type: 'checkbox',
      checked: state.compare.variants,
      onchange: () => store.update((s) => ({ ...s, compare: { ...s.compare, variants: variantsBox.checked } }), { rebuild: true }),
    });
    setChildren(
      configsEl,
      h('ol', { class: 'config-list' }, h('li', null, h('span', { class: 'swatch', style: `background:${PALETTE[0]}` }), ' current (Scenario view)')),
      loaded.variants.length
        ? h('label', { class: 'check' }, variantsBox, ` Include the scenario file’s ${loaded.variants.length} variant${loaded.variants.length === 1 ? '' : 's'} (${loaded.variants.map((v) => v.name).join(', ')})`)
        : null,
      ...state.compare.configs.map((c, i) => {
        const nameInput = h('input', {
          type: 'text',
          value: c.name,
          onchange: () => setConfigs((all) => all.map((x, k) => (k === i ? { ...x, name: nameInput.value.trim() || `config ${i + 1}` } : x))),
        });
        const hpa = name === undefined ? undefined : (c.overrides[name] ?? original);
        return h(
          'details',
          { class: 'config', open: i === state.compare.configs.length - 1 },
          h('summary', null, h('span', { class: 'swatch', style: `background:${PALETTE[(i + 1 + (state.compare.variants ? loaded.variants.length : 0)) % PALETTE.length]}` }), ` ${c.name}`),
          field('Name', nameInput),
          hpa && original && name
            ? createHpaForm({
                hpa,
                original,
                label: c.name,
                onProblems: (problems) => {
                  if (problems.length) staleBy.set(c.name, problems[0]!);
                  else staleBy.delete(c.name);
                  const first = [...staleBy.entries()][0];
                  staleEl.hidden = first === undefined;
                  element.querySelector('.results')?.classList.toggle('is-stale', first !== undefined);
                  staleEl.textContent = first === undefined ? '' : `Stale: these results are for the last valid configurations. Fix ${first[0]}: ${first[1]}`;
                },
                onChange: (next) => setConfigs((all) => all.map((x, k) => (k === i ? { ...x, overrides: { ...x.overrides, [name]: next } } : x))),
              })
            : null,
          h('button', { type: 'button', class: 'link-button', onclick: () => setConfigs((all) => all.filter((_, k) => k !== i), true) }, `Remove ${c.name}`),
        );
      }),
      h(
        'div',
        { class: 'row wrap' },
        h('button', { type: 'button', onclick: () => add(`config ${state.compare.configs.length + 1}`, (x) => x) }, 'Add a configuration'),
        ...COMPARE_PRESETS.map((p) => h('button', { type: 'button', class: 'chip', onclick: () => add(p.name, p.patch) }, `+ ${p.name}`)),
      ),
    );
  };

  const draw = (state: PageState, runs: { name: string; result: SimResult }[]): void => {
    const name = hpaName(state) ?? '';
    const figures = runs.map((r) => summaryFigures(r.result, name));
    const rows = figures[0] ?? [];
    const best = (k: number): number | undefined => {
      const f = rows[k];
      if (!f?.lowerIsBetter || runs.length < 2) return undefined;
      const values = figures.map((fs) => fs[k]?.value ?? null);
      const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
      if (finite.length < 2 || finite.every((v) => v === finite[0])) return undefined;
      const min = Math.min(...finite);
      return values.findIndex((v) => v === min);
    };
    setChildren(
      tableEl,
      h(
        'table',
        { class: 'data compare' },
        h('caption', null, `Summary of ${name} for each configuration (best of each row in bold; Δ: the difference from ${runs[0]?.name ?? 'the first'})`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Figure'), ...runs.map((r, i) => h('th', { scope: 'col' }, h('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}` }), ` ${r.name}`)))),
        h(
          'tbody',
          null,
          ...rows.map((f: Figure, k) => {
            const b = best(k);
            const base = figures[0]?.[k]?.value ?? null;
            return h(
              'tr',
              { 'data-key': f.key },
              h('th', { scope: 'row' }, f.label),
              ...figures.map((fs, i) => {
                const v = fs[k]?.value ?? null;
                return h('td', { class: i === b ? 'best' : '' }, fs[k]?.text ?? '–', i > 0 ? diffAgainst(base, v, f.lowerIsBetter) : null);
              }),
            );
          }),
        ),
      ),
    );
    // Small multiples: one replica chart per configuration, the first one's line dashed in each.
    const maxY = Math.max(1, ...runs.map((r) => r.result.hpas.find((x) => x.metadata.name === name)?.spec.maxReplicas ?? 1));
    const specs = [
      ...runs.map((r, i) => {
        const pair = i === 0 ? [r] : [r, { ...runs[0]!, name: `${runs[0]!.name} (Δ reference)` }];
        const c = overlayChart(pair, name, { title: i === 0 ? `${r.name}: replicas (spec)` : `${r.name}: replicas (spec), ${runs[0]!.name} dashed`, yLabel: 'replicas', pick: (x) => x.replicas, stepped: true, integer: true, syncKey: 'compare' });
        const series = c.spec.series.map((sr, k) => (k === 0 ? { ...sr, color: PALETTE[i % PALETTE.length]!, width: 2 } : { ...sr, color: '#777777', dash: [5, 4], width: 1.25 }));
        return { spec: { ...c.spec, height: 130, series, y: { ...c.spec.y, max: maxY } }, data: c.data };
      }),
      overlayChart(runs, name, { title: `${name}: p95 latency of each configuration`, yLabel: 'p95 latency (s)', pick: (s) => s.latencyP95, syncKey: 'compare' }),
      overlayChart(runs.slice(0, 1), name, { title: 'Offered load (the same for every configuration)', yLabel: 'requests per second', pick: (s) => s.load, syncKey: 'compare' }),
    ];
    if (charts.length !== specs.length) {
      for (const c of charts) c.destroy();
      charts = specs.map((c) => createChart(chartsEl, c.spec, c.data));
    } else specs.forEach((c, i) => charts[i]!.update(c.spec, c.data));
  };

  let built = false;
  return {
    element,
    render(state: PageState, info: ChangeInfo) {
      let configs: ReturnType<typeof compareScenarios>;
      try {
        configs = compareScenarios(state.scenario, state.compare);
      } catch (error) {
        setChildren(messages, h('div', { class: 'alert', role: 'alert' }, (error as Error).message));
        return;
      }
      setChildren(messages);
      if (!built || info.rebuild) {
        buildConfigs(state);
        built = true;
      }
      const key = JSON.stringify([state.scenario, state.compare]);
      if (key === lastKey) {
        draw(state, lastRuns);
        return;
      }
      const t0 = performance.now();
      setChildren(messages, h('p', { class: 'hint' }, `Simulating ${configs.length} configurations…`));
      computer()
        .simulate(configs, {
          seed: state.scenario.seed,
          channel: 'compare',
          onProgress: (f) => setChildren(messages, h('p', { class: 'hint' }, `Simulating ${configs.length} configurations: ${Math.round(f * 100)} %`)),
        })
        .promise.then(async ({ runs }) => {
          setChildren(messages);
          const t1 = performance.now();
          lastKey = key;
          lastRuns = runs;
          draw(state, runs);
          await Promise.resolve();
          const t2 = performance.now();
          recordTiming({ view: 'compare', recomputeMs: t1 - t0, redrawMs: t2 - t1, totalMs: t2 - t0, simulatedSeconds: (runs[0]?.result.durationSeconds ?? 0) * runs.length });
        })
        .catch((error: unknown) => {
          if (!(error instanceof CancelledError)) setChildren(messages, h('div', { class: 'alert', role: 'alert' }, (error as Error).message));
        });
    },
  };
}

/**
 * The scenario view: pick a bundled scenario or load a file, edit the HPA (form or YAML), and
 * see the simulation: replicas and ready pods, each metric against its target, load and latency,
 * the HPA's events on the time axis, the summary figures and the traps it fell into.
 */
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
import type { SimEvent, SimResult } from '../../src/sim/index.js';
import { formatSeconds } from '../../src/sim/index.js';
import { builtinScenarios, BUILTIN_TRAFFIC } from './builtin-scenarios.js';
import type { View } from './calculator-view.js';
import { createChart, type Chart } from './charts.js';
import { field, fmtSeconds, h, setChildren } from './dom.js';
import { createHpaForm } from './hpa-form.js';
import { CancelledError, computer, type SimJob } from './compute-client.js';
import { loadScenarioState, sourceText, withOverrides } from './scenario-model.js';
import type { LoadedSource } from './scenario-source.js';
import type { PageState, ScenarioState } from './state.js';
import type { Store } from './store.js';
import { summaryFigures } from './summary-figures.js';
import { eventKind, latencyChart, loadChart, metricChart, overviewChart, replicasChart } from './timeline-charts.js';
import { checkNumber, showFieldError } from './number-check.js';
import { recordTiming } from './timings.js';

/** Reads a file the user picked and makes it the scenario source. */
export async function loadFileIntoState(store: Store, file: File): Promise<void> {
  const text = await file.text();
  store.update(
    (s) => ({ ...s, scenario: { ...s.scenario, source: { kind: 'file', name: file.name, text }, traffic: '', duration: '', hpa: 0, overrides: {} }, compare: { ...s.compare, configs: [] } }),
    { rebuild: true },
  );
}

function runKey(s: ScenarioState): string {
  return JSON.stringify([s.source, s.traffic, s.duration, s.seed, s.overrides]);
}

/** Creates the scenario view. */
export function createScenarioView(store: Store): View {
  const controls = h('form', { class: 'scenario-controls', 'aria-label': 'Scenario', onsubmit: (e: Event) => e.preventDefault() });
  const formSlot = h('div', { class: 'hpa-form-slot' });
  const messages = h('div', { class: 'messages', role: 'status', 'aria-live': 'polite' });
  const summary = h('div', { class: 'summary-cards', 'data-testid': 'summary' });
  const findings = h('div', { class: 'findings' });
  const charts = h('div', { class: 'timeline-charts' });
  const events = h('div', { class: 'table-wrap events' });
  const description = h('p', { class: 'lede' });
  let chartList: Chart[] = [];
  let lastEvents: SimEvent[] = [];
  const eventsSummary = h('summary', null, 'HPA events');
  const eventsDetails = h('details', { ontoggle: () => eventsDetails.open && drawEvents() }, eventsSummary, events);
  let last: { key: string; result: SimResult; loaded: LoadedSource } | undefined;
  let formFor = '';
  let job: SimJob | undefined;
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Simulation progress' });
  const progressText = h('span', { 'data-testid': 'progress-text' }, 'Simulating…');
  const progress = h(
    'div',
    { class: 'progress', hidden: true, role: 'status', 'data-testid': 'progress' },
    progressText,
    bar,
    h('button', { type: 'button', class: 'secondary small', 'data-testid': 'cancel', onclick: () => job?.cancel() }, 'Cancel'),
  );
  const staleEl = h('p', { class: 'stale-banner', 'data-testid': 'stale', role: 'status', hidden: true });

  const element = h(
    'div',
    { class: 'view-scenario two-col' },
    h('section', { class: 'panel', 'aria-labelledby': 'scenario-h' }, h('h2', { id: 'scenario-h' }, 'Scenario'), controls, h('h3', null, 'HPA'), formSlot),
    h(
      'section',
      { class: 'results', 'aria-label': 'Simulation results' },
      description,
      progress,
      staleEl,
      messages,
      h('h3', { class: 'sr-only' }, 'Summary'),
      summary,
      findings,
      charts,
      eventsDetails,
    ),
  );

  const buildControls = (state: PageState, loaded: LoadedSource | undefined): void => {
    const s = state.scenario;
    const set = (patch: Partial<ScenarioState>, rebuild = false): void => store.update((st) => ({ ...st, scenario: { ...st.scenario, ...patch } }), { rebuild });
    // An unknown built-in id runs the default scenario: the list shows that one, not the first.
    const current = s.source.kind === 'builtin' ? (sourceText(s).builtinId ?? s.source.id) : 'file';
    const source = h(
      'select',
      {
        'data-field': 'source',
        onchange: () => {
          if (source.value === 'file') return;
          store.update((st) => ({ ...st, scenario: { ...st.scenario, source: { kind: 'builtin', id: source.value }, traffic: '', duration: '', hpa: 0, overrides: {} }, compare: { ...st.compare, configs: [] } }), { rebuild: true });
        },
      },
      ...builtinScenarios().map((b) => h('option', { value: b.id, selected: b.id === current }, b.label)),
      s.source.kind === 'file' ? h('option', { value: 'file', selected: true }, `File: ${s.source.name}`) : null,
    );
    const fileInput = h('input', {
      type: 'file',
      accept: '.yaml,.yml,.json,application/yaml,text/yaml',
      onchange: () => {
        const f = fileInput.files?.[0];
        if (f) void loadFileIntoState(store, f);
      },
    });
    const traffic = h(
      'select',
      { onchange: () => set({ traffic: traffic.value }, true) },
      h('option', { value: '', selected: s.traffic === '' }, `${loaded ? loaded.scenario.traffic.type : 'the scenario’s'} (file)`),
      ...BUILTIN_TRAFFIC.map((t) => h('option', { value: t, selected: s.traffic === t }, t)),
    );
    const duration = h('input', {
      type: 'text',
      value: s.duration,
      placeholder: loaded ? formatSeconds(loaded.scenario.durationSeconds) : '1h',
      spellcheck: 'false',
      'data-field': 'duration',
      onchange: () => set({ duration: duration.value.trim() }),
    });
    const seedRule = { label: 'Seed', min: 0, max: 2 ** 31 - 1, integer: true } as const;
    const seed = h('input', {
      type: 'number',
      min: 0,
      step: 1,
      value: String(s.seed),
      'data-field': 'seed',
      oninput: () => {
        const c = checkNumber(seed.value, seedRule);
        showFieldError(seed, c.ok ? undefined : c.error);
      },
      onchange: () => {
        const c = checkNumber(seed.value, seedRule);
        if (c.ok && c.value !== undefined) set({ seed: c.value });
      },
    });
    const hpas = loaded?.scenario.hpas ?? [];
    const hpaSelect =
      hpas.length > 1
        ? field(
            'HPA shown and edited',
            h(
              'select',
              { onchange: (e: Event) => set({ hpa: Number((e.target as HTMLSelectElement).value) }, true) },
              ...hpas.map((x, i) => h('option', { value: String(i), selected: i === s.hpa }, `${x.metadata.name} (${x.spec.scaleTargetRef.kind}/${x.spec.scaleTargetRef.name})`)),
            ),
          )
        : null;
    setChildren(
      controls,
      field('Scenario', source),
      field('Or load a file', fileInput, 'a scenario, an HPA manifest or the seeds’ Helm values'),
      h('div', { class: 'grid three' }, field('Traffic', traffic), field('Duration', duration, 'e.g. 6h, 1d'), field('Seed', seed)),
      hpaSelect,
    );
  };

  const buildForm = (state: PageState, loaded: LoadedSource): void => {
    const s = state.scenario;
    const original = loaded.scenario.hpas[Math.min(s.hpa, loaded.scenario.hpas.length - 1)];
    if (!original) {
      setChildren(formSlot);
      return;
    }
    const name = original.metadata.name;
    const hpa = s.overrides[name] ?? original;
    formFor = `${name}|${runKey({ ...s, overrides: {} })}`;
    setChildren(
      formSlot,
      createHpaForm({
        hpa,
        original,
        label: name,
        onProblems: (problems) => {
          staleEl.hidden = problems.length === 0;
          element.querySelector('.results')?.classList.toggle('is-stale', problems.length > 0);
          staleEl.textContent = problems.length === 0 ? '' : `Stale: these results are for the last valid HPA. Fix ${problems.length === 1 ? 'the field' : `${problems.length} fields`} marked in red: ${problems[0]}`;
        },
        onChange: (next: HorizontalPodAutoscaler) => store.update((st) => ({ ...st, scenario: { ...st.scenario, overrides: { ...st.scenario.overrides, [name]: next } } })),
        onReset: () =>
          store.update((st) => {
            const { [name]: _drop, ...rest } = st.scenario.overrides;
            void _drop;
            return { ...st, scenario: { ...st.scenario, overrides: rest } };
          }),
      }),
    );
  };

  let drawToken = 0;
  const draw = async (state: PageState, loaded: LoadedSource, result: SimResult): Promise<void> => {
    const s = state.scenario;
    const series = result.timeline.hpas[Math.min(s.hpa, result.timeline.hpas.length - 1)];
    if (!series) return;
    const tSummary = performance.now();
    const src = sourceText(s);
    description.textContent = `${loaded.scenario.description ?? src.label} — ${fmtSeconds(result.durationSeconds)} of ${loaded.scenario.traffic.type} traffic, ${result.hpas.length} HPA${result.hpas.length === 1 ? '' : 's'}, seed ${result.seed}.`;
    const figures = summaryFigures(result, series.hpa);
    setChildren(
      summary,
      ...figures.map((f) => h('div', { class: 'card', 'data-testid': `summary-${f.key}` }, h('span', { class: 'card-label' }, f.label), h('span', { class: 'card-value' }, f.text))),
    );
    const mine = result.findings.filter((f) => f.hpa === series.hpa);
    setChildren(
      findings,
      ...(mine.length
        ? [
            h('h3', null, 'What to look at'),
            h(
              'ul',
              { class: 'finding-list' },
              ...mine.map((f) => h('li', { class: `finding ${f.severity}` }, h('strong', null, f.title), ' ', h('span', null, f.evidence), ' ', h('em', null, `Fix: ${f.fix}`))),
            ),
          ]
        : []),
    );
    charts.dataset['rows'] = String(result.timeline.t.length);
    performance.measure('hpa-lab summary', { start: tSummary, end: performance.now() });
    // Built one at a time below (a month's columns take a while each).
    const long = result.durationSeconds > 2 * 86_400;
    const specs = [
      ...(long ? [() => overviewChart(result, series, { syncKey: 'scenario' })] : []),
      () => replicasChart(result, series, { syncKey: 'scenario' }),
      ...series.metrics.map((_, i) => () => metricChart(result, series, i, { syncKey: 'scenario' })),
      () => loadChart(result, series, withOverrides(loaded.scenario, s.overrides), { syncKey: 'scenario' }),
      () => latencyChart(result, series, { syncKey: 'scenario' }),
    ];
    if (chartList.length !== specs.length) {
      for (const c of chartList) c.destroy();
      chartList = [];
    }
    // A long run's charts are drawn one per task, so none holds the main thread for long.
    const token = ++drawToken;
    for (let i = 0; i < specs.length; i++) {
      if (long) {
        await new Promise((r) => setTimeout(r, 0));
        if (token !== drawToken) return;
      }
      const t = performance.now();
      const c = specs[i]!();
      if (chartList[i]) chartList[i]!.update(c.spec, c.data);
      else chartList.push(createChart(charts, c.spec, c.data));
      performance.measure(`hpa-lab chart ${i}`, { start: t, end: performance.now() });
    }
    lastEvents = result.events.filter((e) => e.hpa === series.hpa);
    eventsSummary.textContent = `HPA events (${lastEvents.length})`;
    if (eventsDetails.open) drawEvents();
  };

  const drawEvents = (): void => {
    const list = lastEvents;
    setChildren(
      events,
      list.length === 0
        ? h('p', null, 'No events.')
        : h(
            'table',
            { class: 'data' },
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Message'))),
            h(
              'tbody',
              null,
              ...list.slice(0, 500).map((e) =>
                h(
                  'tr',
                  { class: `event-${eventKind(e)}` },
                  h('td', null, formatSeconds(e.t), e.count > 1 ? ` (×${e.count}, last ${formatSeconds(e.lastT)})` : ''),
                  h('td', null, e.type),
                  h('td', null, e.reason),
                  h('td', null, e.message),
                ),
              ),
            ),
          ),
    );
  };

  const showError = (error: unknown): void => {
    setChildren(messages, h('div', { class: 'alert', role: 'alert' }, (error as Error).message));
  };

  let built = false;
  return {
    element,
    render(state, info) {
      const s = state.scenario;
      let loaded: LoadedSource;
      try {
        loaded = loadScenarioState(s);
      } catch (error) {
        buildControls(state, undefined);
        setChildren(formSlot);
        showError(error);
        built = false;
        return;
      }
      if (!built || info.rebuild) {
        buildControls(state, loaded);
        built = true;
      }
      const name = loaded.scenario.hpas[Math.min(s.hpa, loaded.scenario.hpas.length - 1)]?.metadata.name ?? '';
      if (info.rebuild || formFor !== `${name}|${runKey({ ...s, overrides: {} })}`) buildForm(state, loaded);
      const missing = sourceText(s).missing;
      setChildren(
        messages,
        ...(missing === undefined
          ? []
          : [h('p', { class: 'alert', role: 'alert', 'data-testid': 'unknown-scenario' }, `The link names the built-in scenario '${missing}', which this page does not have: showing '${sourceText(s).label}' instead. Pick one from the Scenario list.`)]),
        ...loaded.warnings.map((w) => h('p', { class: 'warning' }, w)),
      );
      const key = runKey(s);
      if (last?.key === key) {
        void draw(state, loaded, last.result);
        return;
      }
      const scenario = withOverrides(loaded.scenario, s.overrides);
      const t0 = performance.now();
      bar.value = 0;
      progressText.textContent = `Simulating ${fmtSeconds(scenario.durationSeconds)}…`;
      // Shown only for a run that takes a while (no flicker on quick edits).
      const showTimer = setTimeout(() => (progress.hidden = false), 150);
      const mine = computer().simulate([{ name: 'current', scenario }], {
        seed: s.seed,
        channel: 'scenario',
        onProgress: (f) => {
          bar.value = f;
          progressText.textContent = `Simulating ${fmtSeconds(scenario.durationSeconds)}: ${Math.round(f * 100)} %`;
        },
      });
      job = mine;
      mine.promise
        .then(async ({ runs }) => {
          const t1 = performance.now();
          const result = runs[0]!.result;
          last = { key, result, loaded };
          await draw(state, loaded, result);
          await Promise.resolve();
          const t2 = performance.now();
          recordTiming({ view: 'scenario', recomputeMs: t1 - t0, redrawMs: t2 - t1, totalMs: t2 - t0, simulatedSeconds: scenario.durationSeconds });
        })
        .catch((error: unknown) => {
          if (error instanceof CancelledError) {
            if (job === mine) setChildren(messages, h('p', { class: 'warning' }, 'Simulation cancelled: the charts show the previous run. Change a value to run again.'));
            return;
          }
          showError(error);
        })
        .finally(() => {
          clearTimeout(showTimer);
          if (job === mine) {
            progress.hidden = true;
            job = undefined;
          }
        });
    },
  };
}

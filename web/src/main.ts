/**
 * The page's entry: reads the state from the link, mounts the four views behind accessible tabs
 * and renders the active one on every change.
 */
import './styles.css';
import { calcFromHpa } from './calc-from-hpa.js';
import { createCalculatorView, type View } from './calculator-view.js';
import { createCompareView } from './compare-view.js';
import { computer } from './compute-client.js';
import { h } from './dom.js';
import { loadScenarioState } from './scenario-model.js';
import { createScenarioView, loadFileIntoState } from './scenario-view.js';
import { createShareView } from './share-view.js';
import { VIEWS, type PageState, type ViewName } from './state.js';
import { createStore, type Store } from './store.js';
import type {} from './timings.js'; // window.__hpaLabTimings

const TITLES: Record<ViewName, string> = { calculator: 'Calculator', scenario: 'Scenario', compare: 'Compare', share: 'Share' };

/** Fills the calculator from a file's first HPA (a link from `hpa-lab serve FILE`). */
function applyInit(state: PageState): PageState {
  if (state.init !== 'calc-from-source') return state;
  const { init: _drop, ...rest } = state;
  void _drop;
  try {
    const loaded = loadScenarioState(state.scenario);
    const hpa = loaded.scenario.hpas[0];
    if (!hpa) return rest;
    const requests: Record<string, number> = {};
    for (const c of loaded.deployments[hpa.spec.scaleTargetRef.name]?.containers ?? []) {
      for (const [k, v] of Object.entries(c.requestsMilli ?? {})) requests[k] = (requests[k] ?? 0) + v;
    }
    return { ...rest, calc: calcFromHpa(hpa, requests) };
  } catch {
    return rest;
  }
}

function mount(store: Store, root: HTMLElement): void {
  const views: Record<ViewName, View> = {
    calculator: createCalculatorView(store),
    scenario: createScenarioView(store),
    compare: createCompareView(store),
    share: createShareView(store),
  };
  const tabs = VIEWS.map((v) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${v}`,
        'aria-controls': `panel-${v}`,
        'data-view': v,
        onclick: () => store.update((s) => ({ ...s, view: v }), { rebuild: false }),
      },
      TITLES[v],
    ),
  );
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Views', class: 'tabs' }, ...tabs);
  tablist.addEventListener('keydown', (e: KeyboardEvent) => {
    const i = VIEWS.indexOf(store.get().view);
    const next = e.key === 'ArrowRight' ? (i + 1) % VIEWS.length : e.key === 'ArrowLeft' ? (i + VIEWS.length - 1) % VIEWS.length : e.key === 'Home' ? 0 : e.key === 'End' ? VIEWS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    store.update((s) => ({ ...s, view: VIEWS[next]! }));
    tabs[next]!.focus();
  });
  const panels = VIEWS.map((v) => h('section', { role: 'tabpanel', id: `panel-${v}`, 'aria-labelledby': `tab-${v}`, class: 'view', tabindex: -1 }, views[v].element));
  const notice = h('div', { class: 'notice', role: 'alert', hidden: store.hashError === undefined }, store.hashError ?? '');
  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('h1', null, 'hpa-lab'), h('p', null, 'See the Kubernetes HPA think: the same engine and simulator as the CLI, in your browser.')),
      tablist,
    ),
    notice,
    h('main', null, ...panels),
    h(
      'footer',
      null,
      h('p', null, 'Computed by hpa-lab’s engine (a port of the upstream HorizontalPodAutoscaler controller) and simulator. The page state lives in the link.'),
    ),
  );

  let shown: ViewName | undefined;
  const render = (state: PageState, rebuild: boolean): void => {
    const v = state.view;
    VIEWS.forEach((name, i) => {
      const active = name === v;
      tabs[i]!.setAttribute('aria-selected', String(active));
      tabs[i]!.tabIndex = active ? 0 : -1;
      panels[i]!.hidden = !active;
    });
    const switched = shown !== v;
    shown = v;
    views[v].render(state, { rebuild: rebuild || switched });
  };
  store.subscribe((s, info) => render(s, info.rebuild));
  render(store.get(), true);

  window.addEventListener('hashchange', () => void store.loadFromHash());
  // A file dropped anywhere on the page opens in the scenario view.
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    const f = e.dataTransfer?.files[0];
    if (!f) return;
    e.preventDefault();
    void loadFileIntoState(store, f).then(() => store.update((s) => ({ ...s, view: 'scenario' }), { rebuild: true }));
  });
}

async function start(): Promise<void> {
  const store = await createStore();
  const init = applyInit(store.get());
  if (init !== store.get()) store.set(init, { rebuild: true });
  const root = document.getElementById('app');
  if (!root) throw new Error("Cannot start the page: the element '#app' is missing");
  mount(store, root);
  // Where the numbers are computed: `worker` (a Web Worker), or `main` where workers are blocked.
  document.documentElement.dataset['compute'] = computer().inWorker ? 'worker' : 'main';
  // Ready once the first numbers are drawn, or after 1 s while a long run is still going.
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const check = (): void => ((window.__hpaLabTimings?.count ?? 0) > 0 || performance.now() - t0 > 1000 ? resolve() : void setTimeout(check, 10));
    check();
  });
  document.documentElement.dataset['ready'] = 'true';
}

void start();

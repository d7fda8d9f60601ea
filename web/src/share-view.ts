/**
 * The share view: the link that reproduces the page (the whole state is in its hash), and the
 * HPA exported as an autoscaling/v2 manifest and as the seeds' Helm values block.
 */
import { stringify } from 'yaml';
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
// (src/input's index also holds the Node-only loader: the browser-safe modules directly.)
import { hpaToHelmValues, hpaToManifestYaml } from '../../src/input/index.js';
import { buildCalculatorInputs } from './calculator-model.js';
import type { View } from './calculator-view.js';
import { copyText, download, field, h, setChildren } from './dom.js';
import { loadScenarioState, withOverrides } from './scenario-model.js';
import type { PageState } from './state.js';
import type { Store } from './store.js';

/** What the export offers: the scenario's HPAs (as edited), one by one or all, and the calculator's. */
export function exportChoices(state: PageState): { readonly id: string; readonly label: string; readonly hpas: readonly HorizontalPodAutoscaler[] }[] {
  const out: { id: string; label: string; hpas: HorizontalPodAutoscaler[] }[] = [];
  try {
    const loaded = loadScenarioState(state.scenario);
    const hpas = [...withOverrides(loaded.scenario, state.scenario.overrides).hpas];
    if (hpas.length > 1) out.push({ id: 'scenario:*', label: `Scenario: all ${hpas.length} HPAs`, hpas });
    for (const x of hpas) out.push({ id: `scenario:${x.metadata.name}`, label: `Scenario: ${x.metadata.name}${state.scenario.overrides[x.metadata.name] ? ' (edited)' : ''}`, hpas: [x] });
  } catch {
    // A scenario that does not load has nothing to export; the calculator still has.
  }
  const calc = buildCalculatorInputs(state.calc);
  if (calc.errors.length === 0) out.push({ id: 'calculator', label: 'Calculator HPA', hpas: [calc.hpa] });
  return out;
}

/** The autoscaling/v2 YAML of some HPAs (documents separated by `---`). */
export function manifestYaml(hpas: readonly HorizontalPodAutoscaler[]): string {
  return hpas.map((x) => hpaToManifestYaml(x)).join('---\n');
}

/** The seeds' Helm values for some HPAs, or why the chart cannot say them. */
export function helmYaml(hpas: readonly HorizontalPodAutoscaler[]): { readonly ok: boolean; readonly text: string } {
  try {
    const { values, warnings } = hpaToHelmValues(hpas);
    const head = warnings.map((w) => `# note: ${w}`).join('\n');
    return { ok: true, text: `${head ? `${head}\n` : ''}${stringify(values, { lineWidth: 0 })}` };
  } catch (error) {
    return { ok: false, text: (error as Error).message };
  }
}

/** Creates the share view. */
export function createShareView(store: Store): View {
  const linkInput = h('input', { type: 'text', readonly: true, class: 'code', 'data-testid': 'share-link', 'aria-label': 'Link to this view' });
  const linkStatus = h('span', { class: 'hint', role: 'status' });
  const choice = h('select', { 'data-testid': 'export-choice' });
  const manifest = h('textarea', { readonly: true, rows: 22, class: 'code', 'data-testid': 'export-manifest', 'aria-label': 'autoscaling/v2 manifest' });
  const helm = h('textarea', { readonly: true, rows: 22, class: 'code', 'data-testid': 'export-helm', 'aria-label': 'Helm values' });
  const helmNote = h('p', { class: 'hint', role: 'status' });
  const copyStatus = h('span', { class: 'hint', role: 'status' });
  let helmOk = true;

  const copyButton = (label: string, get: () => string, fallback: HTMLTextAreaElement | HTMLInputElement, status: HTMLElement): HTMLButtonElement =>
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          status.textContent = (await copyText(get(), fallback)) ? 'Copied.' : 'Select the text and copy it.';
        },
      },
      label,
    );

  const element = h(
    'div',
    { class: 'view-share' },
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'share-link-h' },
      h('h2', { id: 'share-link-h' }, 'Link'),
      h('p', { class: 'lede' }, 'The whole page state (calculator inputs, scenario, edits, comparisons) is in this link; opening it reproduces the view. The address bar always holds it too.'),
      h('div', { class: 'row' }, linkInput, copyButton('Copy link', () => linkInput.value, linkInput, linkStatus), linkStatus),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'share-export-h' },
      h('h2', { id: 'share-export-h' }, 'Export the HPA'),
      field('HPA', choice),
      h(
        'div',
        { class: 'export-grid' },
        h(
          'div',
          null,
          h('h3', null, 'autoscaling/v2 manifest'),
          manifest,
          h(
            'div',
            { class: 'row' },
            copyButton('Copy YAML', () => manifest.value, manifest, copyStatus),
            h('button', { type: 'button', class: 'secondary', onclick: () => download('hpa.yaml', manifest.value) }, 'Download hpa.yaml'),
          ),
        ),
        h(
          'div',
          null,
          h('h3', null, 'Helm values (the seeds’ chart)'),
          helm,
          helmNote,
          h(
            'div',
            { class: 'row' },
            copyButton('Copy values', () => helm.value, helm, copyStatus),
            h('button', { type: 'button', class: 'secondary', onclick: () => helmOk && download('values.yaml', helm.value) }, 'Download values.yaml'),
          ),
        ),
      ),
      copyStatus,
    ),
  );

  let choices: ReturnType<typeof exportChoices> = [];
  const fill = (): void => {
    const c = choices.find((x) => x.id === choice.value) ?? choices[0];
    if (!c) {
      manifest.value = '';
      helm.value = '';
      return;
    }
    manifest.value = manifestYaml(c.hpas);
    const hv = helmYaml(c.hpas);
    helmOk = hv.ok;
    helm.value = hv.ok ? hv.text : '';
    helmNote.textContent = hv.ok ? 'scaling.auto.* of the chart in seed 000; merge into your values.yaml.' : `Not expressible in the chart’s values: ${hv.text}`;
  };
  choice.addEventListener('change', fill);

  return {
    element,
    render(state) {
      const previous = choice.value;
      choices = exportChoices(state);
      setChildren(choice, ...choices.map((c) => h('option', { value: c.id, selected: c.id === previous }, c.label)));
      fill();
      void store.link().then((l) => {
        linkInput.value = l;
      });
    },
  };
}

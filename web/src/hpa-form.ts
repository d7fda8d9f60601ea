/**
 * Edits one autoscaling/v2 HPA: a form for what people tune (min/max, each metric's target,
 * stabilization windows, policies, selectPolicy) and the full manifest as YAML. Every edit is
 * validated by `src/spec` before it reaches the simulator; an invalid one is shown, not run.
 */
import { DEFAULT_SCALE_DOWN_RULES, DEFAULT_SCALE_UP_RULES, type HorizontalPodAutoscaler, type HPAScalingPolicy, type HPAScalingRules, type MetricSpec } from '../../src/engine/index.js';
// (src/input's index also holds the Node-only loader: the browser-safe modules directly.)
import { parseHpaManifests, hpaToManifestYaml, validateHpa } from '../../src/input/index.js';
import { debounce, field, h, setChildren, uid } from './dom.js';
import { checkNumber, PAGE_MAX_REPLICAS, showFieldError, type NumberRule } from './number-check.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Draft = Mutable<HorizontalPodAutoscaler>;
type Direction = 'scaleUp' | 'scaleDown';

export interface HpaFormOptions {
  readonly hpa: HorizontalPodAutoscaler;
  /** The HPA as the file has it, for "Reset". */
  readonly original: HorizontalPodAutoscaler;
  /** Called with a valid HPA after each edit. */
  readonly onChange: (hpa: HorizontalPodAutoscaler) => void;
  /** Called for "Reset" (defaults to `onChange(original)`). */
  readonly onReset?: () => void;
  /** A short name for ids and labels (`current`, `config 2`). */
  readonly label: string;
  /** Called with what is wrong in the form (empty: nothing), so results can be marked stale. */
  readonly onProblems?: (problems: readonly string[]) => void;
}

/** The target field of a metric: what its number means. */
export function metricTargetOf(m: MetricSpec): { readonly name: string; readonly kind: 'averageUtilization' | 'averageValue' | 'value'; readonly value: string } | undefined {
  const src = m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external;
  const t = src?.target;
  if (!src || !t) return undefined;
  const name = 'name' in src && typeof src.name === 'string' ? src.name : 'metric' in src ? src.metric.name : m.type;
  if (t.type === 'Utilization') return { name, kind: 'averageUtilization', value: String(t.averageUtilization ?? '') };
  if (t.type === 'AverageValue') return { name, kind: 'averageValue', value: String(t.averageValue ?? '') };
  return { name, kind: 'value', value: String(t.value ?? '') };
}

const clone = <T>(x: T): Mutable<T> => structuredClone(x);

/** Creates the form; it rebuilds itself after structural edits (a policy added or removed). */
export function createHpaForm(options: HpaFormOptions): HTMLElement {
  const root = h('div', { class: 'hpa-form' });
  const errorEl = h('p', { class: 'form-error', role: 'alert', 'aria-live': 'polite' });
  let draft: Draft = clone(options.hpa);
  const prefix = uid(`hpa-${options.label.replace(/\W+/g, '-')}`);

  /** Bad numbers by field, each shown next to its field; nothing runs while there is one. */
  const bad = new Map<string, string>();
  const report = (): void => options.onProblems?.([...bad.values(), ...(errorEl.textContent ? [errorEl.textContent] : [])]);
  const tryCommit = (): void => {
    if (bad.size > 0) {
      report();
      return;
    }
    try {
      const { hpa } = validateHpa(JSON.parse(JSON.stringify(draft)), { file: `${options.label} HPA` });
      errorEl.textContent = '';
      options.onChange(hpa);
    } catch (error) {
      errorEl.textContent = (error as Error).message;
    }
    report();
  };
  /** Checks a number field: marks it, and returns the value when good. */
  const check = (key: string, input: HTMLInputElement, rule: NumberRule): { ok: boolean; value: number | undefined } => {
    const c = checkNumber(input.value, rule);
    showFieldError(input, c.ok ? undefined : c.error);
    if (c.ok) bad.delete(key);
    else bad.set(key, c.error);
    return c.ok ? { ok: true, value: c.value } : { ok: false, value: undefined };
  };
  // Immediate: the simulator runs in a worker that keeps only the latest request.
  const commitSoon = debounce(tryCommit, 0);

  const rules = (d: Direction): Mutable<HPAScalingRules> => {
    draft.spec.behavior ??= {};
    const b = draft.spec.behavior as Mutable<NonNullable<HorizontalPodAutoscaler['spec']['behavior']>>;
    b[d] ??= {};
    return b[d];
  };

  const numberField = (label: string, value: number | undefined | null, set: (v: number | undefined) => void, rule: NumberRule, attrs: Record<string, unknown> = {}, hint?: string): HTMLDivElement => {
    const dataField = attrs['data-field'];
    const key = typeof dataField === 'string' ? dataField : label;
    const input = h('input', {
      type: 'number',
      inputmode: 'numeric',
      value: value === undefined || value === null ? '' : String(value),
      min: rule.min,
      max: rule.max,
      step: rule.integer ? 1 : 'any',
      ...attrs,
      oninput: () => {
        const c = check(key, input, rule);
        if (c.ok) set(c.value);
        report();
        commitSoon();
      },
    });
    return field(label, input, hint);
  };

  const policiesBlock = (d: Direction): HTMLElement => {
    const r = draft.spec.behavior?.[d];
    const defaults = d === 'scaleUp' ? DEFAULT_SCALE_UP_RULES : DEFAULT_SCALE_DOWN_RULES;
    const policies = r?.policies;
    const describe = (p: HPAScalingPolicy): string => `${p.type} ${p.value} per ${p.periodSeconds}s`;
    if (!policies) {
      return h(
        'div',
        { class: 'policies' },
        h('p', { class: 'hint' }, `Policies: the defaults (${(defaults.policies ?? []).map(describe).join(', ')})${draft.spec.behavior ? '' : ', once behavior is set; without behavior the legacy limits apply'}.`),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onclick: () => {
              rules(d).policies = clone(defaults.policies ?? []);
              rebuild();
              tryCommit();
            },
          },
          `Edit ${d} policies`,
        ),
      );
    }
    const rows = policies.map((p, i) => {
      const type = h(
        'select',
        {
          'aria-label': `${d} policy ${i + 1} type`,
          onchange: () => {
            (rules(d).policies as Mutable<HPAScalingPolicy>[])[i]!.type = type.value;
            tryCommit();
          },
        },
        h('option', { value: 'Pods', selected: p.type === 'Pods' }, 'Pods'),
        h('option', { value: 'Percent', selected: p.type === 'Percent' }, 'Percent'),
      );
      const num = (key: 'value' | 'periodSeconds', label: string): HTMLInputElement => {
        const rule: NumberRule = key === 'value' ? { label: `${d} policy ${i + 1} value`, min: 1, max: 1_000_000, integer: true } : { label: `${d} policy ${i + 1} periodSeconds`, min: 1, max: 1800, integer: true };
        const input = h('input', {
          type: 'number',
          inputmode: 'numeric',
          min: rule.min,
          max: rule.max,
          value: String(p[key]),
          'aria-label': `${d} policy ${i + 1} ${label}`,
          'data-field': `${d}.policies[${i}].${key}`,
          oninput: () => {
            const c = check(`${d}.policies[${i}].${key}`, input, rule);
            if (c.ok && c.value !== undefined) (rules(d).policies as Mutable<HPAScalingPolicy>[])[i]![key] = c.value;
            report();
            commitSoon();
          },
        });
        return input;
      };
      return h(
        'tr',
        null,
        h('td', null, type),
        h('td', null, num('value', 'value')),
        h('td', null, num('periodSeconds', 'periodSeconds')),
        h(
          'td',
          null,
          h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              'aria-label': `Remove ${d} policy ${i + 1}`,
              onclick: () => {
                (rules(d).policies as HPAScalingPolicy[]).splice(i, 1);
                rebuild();
                tryCommit();
              },
            },
            'Remove',
          ),
        ),
      );
    });
    return h(
      'div',
      { class: 'policies' },
      h(
        'table',
        { class: 'policy-table' },
        h('caption', { class: 'sr-only' }, `${d} policies`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'type'), h('th', { scope: 'col' }, 'value'), h('th', { scope: 'col' }, 'periodSeconds'), h('th', null, h('span', { class: 'sr-only' }, 'actions')))),
        h('tbody', null, ...rows),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onclick: () => {
            (rules(d).policies as HPAScalingPolicy[]).push({ type: 'Pods', value: 1, periodSeconds: 60 });
            rebuild();
            tryCommit();
          },
        },
        `Add a ${d} policy`,
      ),
    );
  };

  const directionBlock = (d: Direction): HTMLElement => {
    const r = draft.spec.behavior?.[d];
    const defaults = d === 'scaleUp' ? DEFAULT_SCALE_UP_RULES : DEFAULT_SCALE_DOWN_RULES;
    const windowDefault = d === 'scaleUp' ? '0' : '300 (the controller flag)';
    const selectId = `${prefix}-${d}-select`;
    const selectPolicy = h(
      'select',
      {
        id: selectId,
        onchange: () => {
          const v = selectPolicy.value;
          if (v === '') delete rules(d).selectPolicy;
          else rules(d).selectPolicy = v;
          tryCommit();
        },
      },
      h('option', { value: '', selected: !r?.selectPolicy }, `default (${defaults.selectPolicy})`),
      ...['Max', 'Min', 'Disabled'].map((v) => h('option', { value: v, selected: r?.selectPolicy === v }, v)),
    );
    return h(
      'fieldset',
      { class: `direction ${d}` },
      h('legend', null, d === 'scaleUp' ? 'Scale up' : 'Scale down'),
      h(
        'div',
        { class: 'grid two' },
        numberField(
          'Stabilization window (s)',
          r?.stabilizationWindowSeconds,
          (v) => {
            if (v === undefined) delete rules(d).stabilizationWindowSeconds;
            else rules(d).stabilizationWindowSeconds = v;
          },
          { label: `${d} stabilizationWindowSeconds`, min: 0, max: 3600, integer: true, empty: 'unset' },
          { placeholder: windowDefault, 'data-field': `${d}.stabilizationWindowSeconds` },
          `stabilizationWindowSeconds; empty: ${windowDefault}`,
        ),
        field('selectPolicy', selectPolicy),
      ),
      policiesBlock(d),
    );
  };

  const metricsBlock = (): HTMLElement | null => {
    const metrics = draft.spec.metrics ?? [];
    if (metrics.length === 0) return null;
    return h(
      'div',
      { class: 'grid two' },
      ...metrics.map((m, i) => {
        const t = metricTargetOf(m);
        if (!t) return null;
        const label = `${t.name} target (${t.kind === 'averageUtilization' ? '% of request' : t.kind})`;
        const input = h('input', {
          type: t.kind === 'averageUtilization' ? 'number' : 'text',
          inputmode: 'decimal',
          value: t.value,
          'data-field': `metrics[${i}].target`,
          oninput: () => {
            const src = (draft.spec.metrics as Mutable<MetricSpec>[])[i]!;
            const holder = (src.resource ?? src.containerResource ?? src.pods ?? src.object ?? src.external)!;
            const target = holder.target as unknown as Record<string, unknown>;
            const raw = input.value.trim();
            target[t.kind] = t.kind === 'averageUtilization' ? Number(raw) : raw;
            commitSoon();
          },
        });
        return field(label, input);
      }),
    );
  };

  const yamlBlock = (): HTMLElement => {
    const area = h('textarea', { rows: 16, spellcheck: 'false', class: 'code', 'aria-label': `${options.label} HPA as autoscaling/v2 YAML` });
    const refresh = (): void => {
      area.value = hpaToManifestYaml(draft);
    };
    refresh();
    const yamlError = h('p', { class: 'form-error', role: 'alert' });
    const apply = (): void => {
      try {
        const hpas = parseHpaManifests(area.value, `${options.label} YAML`);
        if (hpas.length !== 1) throw new Error(`expected exactly one HorizontalPodAutoscaler, found ${hpas.length}`);
        yamlError.textContent = '';
        draft = clone(hpas[0]!);
        options.onChange(hpas[0]!);
        rebuild(true);
      } catch (error) {
        yamlError.textContent = (error as Error).message;
      }
    };
    return h(
      'details',
      { class: 'yaml-editor', ontoggle: (e: Event) => (e.currentTarget as HTMLDetailsElement).open && document.activeElement !== area && refresh() },
      h('summary', null, 'Edit as YAML'),
      area,
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: apply }, 'Apply YAML'), h('span', { class: 'hint' }, 'autoscaling/v2; validated before it runs')),
      yamlError,
    );
  };

  function rebuild(keepYamlOpen = false): void {
    const wasOpen = keepYamlOpen || root.querySelector('details.yaml-editor')?.hasAttribute('open') === true;
    if (bad.size > 0) {
      bad.clear();
      report();
    }
    setChildren(
      root,
      h(
        'div',
        { class: 'grid two' },
        numberField('minReplicas', draft.spec.minReplicas, (v) => {
          const spec = draft.spec as { minReplicas?: number };
          if (v === undefined) delete spec.minReplicas;
          else spec.minReplicas = v;
        }, { label: 'minReplicas', min: 1, max: PAGE_MAX_REPLICAS, integer: true, empty: 'unset', note: 'the page’s limit' }, { 'data-field': 'minReplicas' }),
        numberField('maxReplicas', draft.spec.maxReplicas, (v) => ((draft.spec as { maxReplicas: number }).maxReplicas = v ?? 0), { label: 'maxReplicas', min: 1, max: PAGE_MAX_REPLICAS, integer: true, note: 'the page’s limit' }, { 'data-field': 'maxReplicas' }),
      ),
      metricsBlock(),
      directionBlock('scaleUp'),
      directionBlock('scaleDown'),
      errorEl,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onclick: () => {
              draft = clone(options.original);
              errorEl.textContent = '';
              if (options.onReset) options.onReset();
              else options.onChange(options.original);
              rebuild();
            },
          },
          'Reset to the file’s HPA',
        ),
      ),
      yamlBlock(),
    );
    if (wasOpen) root.querySelector('details.yaml-editor')?.setAttribute('open', '');
  }
  rebuild();
  return root;
}

/**
 * `metav1.ParseToLabelSelector`: the metric selector echoed in MetricValue items
 * (`{"matchLabels":{...}}` / `{"matchExpressions":[...]}`). `!=`, `gt` and `lt` cannot be expressed,
 * which makes upstream fail the whole response with a plain 500.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/helpers.go
 */
import type { LabelSelector } from './label-selector.js';

export interface MetaLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }[];
}

const OPERATORS = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' } as const;

/**
 * Converts a parsed selector; `null` for an empty one (JSON `"selector": null`).
 *
 * @example toMetaLabelSelector(parseLabelSelector('model=whisper')) // -> { ok: true, selector: { matchLabels: { model: 'whisper' } } }
 */
export function toMetaLabelSelector(selector: LabelSelector): { readonly ok: true; readonly selector: MetaLabelSelector | null } | { readonly ok: false; readonly message: string } {
  if (selector.length === 0) return { ok: true, selector: null };
  const matchLabels: Record<string, string> = {};
  const matchExpressions: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[] = [];
  for (const r of selector) {
    if (r.operator === '=' || r.operator === '==') {
      matchLabels[r.key] = r.values[0] ?? '';
      continue;
    }
    if (r.operator === 'gt' || r.operator === 'lt') return { ok: false, message: `"${r.operator}" isn't supported in label selectors` };
    if (r.operator === '!=') return { ok: false, message: '"!=" is not a valid label selector operator' };
    const operator = OPERATORS[r.operator];
    matchExpressions.push(r.values.length > 0 ? { key: r.key, operator, values: [...r.values] } : { key: r.key, operator });
  }
  return {
    ok: true,
    selector: {
      ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
      ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
    },
  };
}

/**
 * The error a rule (discovery rule, filter, resource mapping, template) raises when
 * prometheus-adapter would refuse to start with it. `path` is relative to the rule
 * (`name.matches`, `seriesFilters[1].isNot`); the config loader prefixes it with `rules[i].` and
 * turns it into an `InputError`.
 */
export class RuleError extends Error {
  override name = 'RuleError';
  /** Field path inside the rule, dotted with `[index]`. */
  readonly path: string;
  /** What is wrong, without the path. */
  readonly detail: string;
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(path ? `'${path}': ${detail}` : detail, options);
    this.path = path;
    this.detail = detail;
  }
}

/** Joins two rule paths: `('resources', 'template')` -> `resources.template`, `('a', '[0]')` -> `a[0]`. */
export function childPath(parent: string, child: string): string {
  if (!parent) return child;
  if (!child) return parent;
  return child.startsWith('[') ? `${parent}${child}` : `${parent}.${child}`;
}

/**
 * The link between Prometheus labels and Kubernetes resources for one rule (`resources` block):
 * `overrides` map label names to group-resources; a `template` such as `kube_<<.Resource>>` gives
 * the generic form. Label -> resource (discovery) runs the template as an anchored regex with
 * `.Group` = `(?P<group>.+?)` and `.Resource` = `(?P<resource>.+?)`; resource -> label (queries)
 * renders it with the group's `.`/`-` replaced by `_` and the singular resource.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/naming/resource_converter.go
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/naming/lbl_res.go
 */
import { compileGoRegexp, type GoRegexp } from './go-regexp.js';
import { executeGoTemplate, goStruct } from './go-template-exec.js';
import { GoTemplateError, parseGoTemplate, type GoTemplateTree } from './go-template-parse.js';
import type { ResourceMapper } from './resource-mapper.js';
import { RuleError } from './rule-error.js';
import { formatGroupResource, type GroupResource, type Series } from './types.js';

/** The `resources` block of a rule. */
export interface ResourceMapping {
  readonly template?: string;
  readonly overrides?: Readonly<Record<string, { readonly group?: string; readonly resource: string }>>;
}

/** A label name, or why none can be derived. */
export type LabelForResourceResult = { readonly ok: true; readonly label: string } | { readonly ok: false; readonly message: string };

export interface ResourceConverter {
  /** The Prometheus label holding objects of `resource` (a normalised group-resource). */
  labelForResource(resource: GroupResource): LabelForResourceResult;
  /**
   * The resources a series can describe (one per label that maps to a resource) and whether it is
   * namespaced (upstream: any label not mapping to namespaces/nodes/persistentvolumes).
   */
  resourcesForSeries(series: Series): { readonly resources: readonly GroupResource[]; readonly namespaced: boolean };
}

const NAMESPACES: GroupResource = { group: '', resource: 'namespaces' };
const ROOT_SCOPED = new Set(['namespaces', 'nodes', 'persistentvolumes']);

function key(gr: GroupResource): string {
  return `${gr.group}/${gr.resource}`;
}

function sanitizeGroup(group: string): string {
  return group.replace(/[.-]/g, '_');
}

function groupResourceStruct(group: string, resource: string): ReturnType<typeof goStruct> {
  return goStruct('schema.GroupResource', { Group: group, Resource: resource });
}

/** The namespace group-resource (`NsGroupResource`). */
export const NAMESPACE_RESOURCE: GroupResource = NAMESPACES;

/**
 * Builds the converter of one `resources` block.
 *
 * @throws {RuleError} (path `template` or `overrides.<label>`) when prometheus-adapter would refuse to start
 * @example createResourceConverter({ overrides: { pod: { resource: 'pod' } } }, mapper).labelForResource({ group: '', resource: 'pods' }) // -> { ok: true, label: 'pod' }
 */
export function createResourceConverter(mapping: ResourceMapping, mapper: ResourceMapper): ResourceConverter {
  const labelToResource = new Map<string, GroupResource>();
  const resourceToLabel = new Map<string, string>();
  let template: GoTemplateTree | undefined;
  let extractor: { regexp: GoRegexp; groupIndex: number; resourceIndex: number } | undefined;

  if (mapping.template) {
    try {
      template = parseGoTemplate(mapping.template, { name: 'resource-label' });
    } catch (err) {
      throw new RuleError('template', `unable to parse label template ${JSON.stringify(mapping.template)}: ${(err as Error).message}`, { cause: err });
    }
    const fail = (detail: string, cause?: unknown): never => {
      throw new RuleError('template', `unable to generate label format from template ${JSON.stringify(mapping.template)}: ${detail}`, { cause });
    };
    let rendered = '';
    try {
      rendered = executeGoTemplate(template, groupResourceStruct('(?P<group>.+?)', '(?P<resource>.+?)'));
    } catch (err) {
      fail(`unable to convert label template to matcher: ${(err as Error).message}`, err);
    }
    if (rendered === '') fail('unable to convert label template to matcher: empty template');
    let regexp: GoRegexp | undefined;
    try {
      regexp = compileGoRegexp(`^${rendered}$`);
    } catch (err) {
      fail(`unable to convert label template to matcher: ${(err as Error).message}`, err);
    }
    if (!regexp) return fail('unable to convert label template to matcher');
    const names = regexp.subexpNames;
    const resourceIndex = names.lastIndexOf('resource');
    if (resourceIndex < 0) fail('must include at least `{{.Resource}}` in the label template');
    extractor = { regexp, groupIndex: names.lastIndexOf('group'), resourceIndex };
  }

  for (const [label, target] of Object.entries(mapping.overrides ?? {})) {
    const normalized = mapper.resourceFor({ group: target.group ?? '', resource: target.resource });
    if (!normalized || !mapper.singularize(normalized.resource)) {
      throw new RuleError(
        `overrides.${label}`,
        `unable to normalize group-resource {${target.group ?? ''} ${target.resource}}: no matches for ${formatGroupResource({ group: target.group ?? '', resource: target.resource })}`,
      );
    }
    labelToResource.set(label, normalized);
    resourceToLabel.set(key(normalized), label);
  }

  const labelForResource = (resource: GroupResource): LabelForResourceResult => {
    const known = resourceToLabel.get(key(resource));
    if (known !== undefined) return { ok: true, label: known };
    const prefix = `unable to convert resource ${formatGroupResource(resource)} into label: `;
    if (!template) return { ok: false, message: `${prefix}no generic resource label form specified for this metric` };
    const singular = mapper.singularize(resource.resource);
    if (singular === undefined) return { ok: false, message: `${prefix}unable to singularize resource ${formatGroupResource(resource)}` };
    let label: string;
    try {
      label = executeGoTemplate(template, groupResourceStruct(sanitizeGroup(resource.group), singular));
    } catch (err) {
      if (err instanceof GoTemplateError) return { ok: false, message: `${prefix}${err.message}` };
      throw err;
    }
    if (label === '') return { ok: false, message: `${prefix}empty label produced by label template` };
    resourceToLabel.set(key(resource), label);
    labelToResource.set(label, resource);
    return { ok: true, label };
  };

  const resourcesForSeries = (series: Series): { resources: GroupResource[]; namespaced: boolean } => {
    const resources: GroupResource[] = [];
    let namespaced = false;
    for (const label of Object.keys(series.labels)) {
      let gr = labelToResource.get(label);
      if (gr) {
        resources.push(gr);
      } else if (extractor) {
        const m = extractor.regexp.findStringSubmatch(label);
        if (m) {
          const candidate = { group: extractor.groupIndex >= 0 ? (m[extractor.groupIndex] ?? '') : '', resource: m[extractor.resourceIndex] ?? '' };
          gr = mapper.resourceFor(candidate);
          if (!gr || !mapper.singularize(gr.resource)) continue; // labels the mapper does not know are ignored
          resources.push(gr);
          labelToResource.set(label, gr);
        }
      }
      // upstream quirk: a label that maps to nothing also marks the series namespaced
      if (!gr || gr.group !== '' || !ROOT_SCOPED.has(gr.resource)) namespaced = true;
    }
    return { resources, namespaced };
  };

  return { labelForResource, resourcesForSeries };
}

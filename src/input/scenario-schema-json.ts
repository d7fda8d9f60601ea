/**
 * The JSON Schema of scenario files, generated from the zod schema (`scenarioFileSchema`) so the
 * published file and the validator cannot drift: `scripts/gen-schema.ts` writes it to
 * `schemas/scenario.schema.json` and a test checks the committed file is current.
 */
import { z } from 'zod';
import { scenarioFileSchema } from './scenario.js';

/** Where the schema is published in the repository. */
export const SCENARIO_SCHEMA_PATH = 'schemas/scenario.schema.json';

/**
 * The JSON Schema (draft 2020-12) of a scenario file, as written (input side: durations as
 * strings or seconds, quantities as strings or numbers).
 *
 * @example scenarioJsonSchema().required; // -> ['duration', 'traffic']
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema['$schema'],
    title: 'hpa-lab scenario',
    description:
      'A simulation scenario for `hpa-lab simulate`: the HPAs (inline autoscaling/v2 manifests, Helm values, or files relative to the scenario), the service model, the traffic, the metric pipeline timing and the duration.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
    // The HPAs come as `hpas` or the `hpa` shorthand: exactly one of them.
    oneOf: [{ required: ['hpas'] }, { required: ['hpa'] }],
  };
}

/** The schema file's text: pretty JSON with a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

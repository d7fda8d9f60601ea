/**
 * Writes `schemas/scenario.schema.json` from the zod schema of scenario files.
 *   npx tsx scripts/gen-schema.ts
 */
import { writeFile } from 'node:fs/promises';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from '../src/input/scenario-schema-json.js';

await writeFile(SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText());
process.stdout.write(`wrote ${SCENARIO_SCHEMA_PATH}\n`);

import { isK8sHpaVectorFile, runK8sHpaVectorFile } from './k8s-hpa.js';
import type { Suite } from './run-dir.js';

/** Every vector format `npm run conformance` understands. */
export const SUITES: readonly Suite[] = [{ name: 'k8s-hpa', accepts: isK8sHpaVectorFile, run: runK8sHpaVectorFile }];

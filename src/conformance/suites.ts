import { isAdapterVectorFile, runAdapterVectorFile } from '../metrics/adapter/index.js';
import { isK8sHpaVectorFile, runK8sHpaVectorFile } from './k8s-hpa.js';
import type { Suite } from './run-dir.js';

/** Every vector format `npm run conformance` understands, routed by the file's own format marker. */
export const SUITES: readonly Suite[] = [
  { name: 'k8s-hpa', accepts: isK8sHpaVectorFile, run: (doc) => runK8sHpaVectorFile(doc) },
  {
    name: 'prometheus-adapter',
    accepts: isAdapterVectorFile,
    run: (doc, { dir }) => runAdapterVectorFile(doc, { baseDir: dir }).map((r) => ({ id: r.id, ok: r.ok, ...(r.message === undefined ? {} : { message: r.message }) })),
  },
];

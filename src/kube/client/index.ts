/**
 * hpa-lab's cluster client: reads any Kubernetes cluster as the HPA controller does and runs the
 * engine on it (explain, diagnose, scan, shadow). Read-only: nothing here writes `/scale`.
 */
export { connectCluster, type ClusterOptions } from './connect-cluster.js';
export { resourceOfKind } from './from-api.js';
export { explainCluster, formatClusterExplanation, clusterExplanationJson } from './explain-cluster.js';
export { scanCluster, formatScanTable } from './scan-cluster.js';
export { createShadow, formatShadowSync } from './shadow.js';
export { diagnoseCluster, ruleMetricName } from './diagnose-cluster.js';
export { readHpa, readScale } from './read-hpa.js';
export { engineConfigForVersion, readServerVersion } from './server-version.js';

/**
 * The Kubernetes world: the small Kubernetes API server the local stack serves (object store,
 * discovery, Tables, HPAs, Deployments with `scale`, Pods, Events, APIServices, the metrics APIs
 * by delegation), the binding that makes the local stack its cluster, and the kubeconfig.
 */
export { createKubeApp, type FetchHandler } from './app.js';
export { AGGREGATED_DISCOVERY_TYPE } from './discovery.js';
export { deploymentObject, deploymentStatus, eventObject, hpaObject, hpaStatusObject, namespaceObject, podObject } from './objects.js';
export { DEPLOYMENT, EVENT, HPA, NAMESPACE, POD } from './resources.js';
export { DEFAULT_KUBE_API_PORT, startKubeServer, type KubeServer } from './server.js';
export { createObjectStore, type KubeObject, type ObjectStore } from './store.js';
export { defaultObject, validateObject } from './validate.js';
export { createKubeWorld, type WorldTarget } from './kube-world.js';
export { kubeconfigText, writeKubeconfig } from './kubeconfig.js';
export { createMetricsSourceApp, METRICS_SOURCE_GROUPS } from './metrics-source-app.js';
export { startKubeApi, type KubeApi } from './start-kube-api.js';

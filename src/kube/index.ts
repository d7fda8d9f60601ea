/**
 * The Kubernetes world: the small Kubernetes API server the local stack serves (object store,
 * discovery, Tables, HPAs, Deployments with `scale`, Pods, Events, APIServices, the metrics APIs
 * by delegation), the binding that makes the local stack its cluster, and the kubeconfig.
 */
export { createKubeApp, DEFAULT_KUBE_VERSION, METRICS_GROUPS, type FetchHandler, type KubeAppOptions } from './app.js';
export { scaleOf, withScaleReplicas } from './scale-subresource.js';
export { watchResponse, type WatchStreamInput } from './watch-stream.js';
export { AGGREGATED_DISCOVERY_TYPE, type DelegatedGroup } from './discovery.js';
export { KubeError, type KubeStatus, type StatusCause } from './kube-error.js';
export { deploymentObject, deploymentStatus, eventObject, hpaFromObject, hpaObject, hpaStatusObject, namespaceObject, podObject, type DeploymentShape, type EventInput } from './objects.js';
export { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
export { API_SERVICE, apiVersionOf, DEPLOYMENT, EVENT, findResource, HPA, NAMESPACE, POD, RESOURCES, type ResourceDef } from './resources.js';
export { DEFAULT_KUBE_API_PORT, startKubeServer, type KubeServer } from './server.js';
export { createObjectStore, kubeTime, parseFieldSelector, type KubeObject, type ListOptions, type ObjectMetadata, type ObjectDefaulter, type ObjectStore, type WatchEvent, type WatchOptions } from './store.js';
export { formatHpaTargets, humanDuration, toTable, type Table, type TableColumn } from './tables.js';
export { defaultObject, fieldPathOf, validateObject } from './validate.js';
export { createKubeWorld, type KubeWorld, type KubeWorldOptions, type WorldHpaEvent, type WorldSync, type WorldTarget } from './kube-world.js';
export { KUBE_CONTEXT, kubeconfigText, writeKubeconfig } from './kubeconfig.js';
export { createMetricsSourceApp, METRICS_SOURCE_GROUPS, type MetricsSourceAppOptions } from './metrics-source-app.js';
export { apiServiceObject } from './objects.js';
export { KUBE_REFRESH_INTERVAL_MS, startKubeApi, type KubeApi, type StartKubeApiOptions } from './start-kube-api.js';

/**
 * `hpa-lab adapter --config rules.yaml --prometheus URL`: runs the prometheus-adapter compatible
 * adapter alone on 127.0.0.1, serving custom.metrics.k8s.io (v1beta1, v1beta2) and
 * external.metrics.k8s.io (v1beta1) until Ctrl-C.
 *
 * In a real cluster the aggregation layer reaches an adapter through APIService objects over
 * HTTPS. `hpa-lab adapter` speaks plain HTTP on loopback, so run it in a pod next to a TLS
 * terminating sidecar that forwards to 127.0.0.1:PORT (the manifests below, printed by
 * `hpa-lab adapter --print-apiservice`). The HPA controller's ClusterRole
 * (`system:controller:horizontal-pod-autoscaler`) already may read both groups.
 */
import { loadAdapterConfigFile, DEFAULT_RELIST_INTERVAL_MS, startAdapterServer } from '../../metrics/adapter/index.js';
import { parseGoDuration } from '../../core/index.js';
import { UsageError, type CommandDef } from '../command.js';

/** The APIService, Service and Deployment an in-cluster `hpa-lab adapter` needs (TLS by a sidecar). */
export const ADAPTER_APISERVICE_MANIFESTS = `# hpa-lab adapter as the cluster's custom and external metrics API.
# The adapter serves plain HTTP on 127.0.0.1:6443; the 'tls' sidecar terminates TLS on :8443.
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.custom.metrics.k8s.io}
spec:
  group: custom.metrics.k8s.io
  version: v1beta1
  service: {name: hpa-lab-adapter, namespace: monitoring, port: 443}
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true   # or caBundle: <base64 CA of the sidecar's certificate>
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta2.custom.metrics.k8s.io}
spec:
  group: custom.metrics.k8s.io
  version: v1beta2
  service: {name: hpa-lab-adapter, namespace: monitoring, port: 443}
  groupPriorityMinimum: 100
  versionPriority: 200
  insecureSkipTLSVerify: true
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.external.metrics.k8s.io}
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  service: {name: hpa-lab-adapter, namespace: monitoring, port: 443}
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
---
apiVersion: v1
kind: Service
metadata: {name: hpa-lab-adapter, namespace: monitoring}
spec:
  selector: {app: hpa-lab-adapter}
  ports: [{name: https, port: 443, targetPort: 8443}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: hpa-lab-adapter, namespace: monitoring}
spec:
  replicas: 1
  selector: {matchLabels: {app: hpa-lab-adapter}}
  template:
    metadata: {labels: {app: hpa-lab-adapter}}
    spec:
      containers:
        - name: adapter
          image: node:20-slim            # with hpa-lab installed, and the rules mounted from a ConfigMap
          command: [npx, hpa-lab, adapter, --config, /etc/adapter/config.yaml,
                    --prometheus, "http://prometheus-operated.monitoring.svc:9090",
                    --port, "6443", --metrics-relist-interval, 1m]
          volumeMounts: [{name: config, mountPath: /etc/adapter}]
          readinessProbe: {httpGet: {path: /readyz, port: 8443, scheme: HTTPS}}
        - name: tls                      # any TLS terminating proxy: ghostunnel, envoy, nginx...
          image: ghostunnel/ghostunnel
          args: [server, --listen=:8443, --target=127.0.0.1:6443, --cert=/tls/tls.crt, --key=/tls/tls.key, --disable-authentication]
          volumeMounts: [{name: tls, mountPath: /tls}]
      volumes:
        - {name: config, configMap: {name: hpa-lab-adapter}}
        - {name: tls, secret: {secretName: hpa-lab-adapter-tls}}
`;

/** Resolves when the process gets SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function parseDuration(text: string, flag: string): number {
  try {
    const ms = parseGoDuration(text);
    if (ms <= 0) throw new RangeError('not positive');
    return ms;
  } catch {
    throw new UsageError(`'--${flag}' must be a Go duration such as 30s, 1m30s or 10m (as prometheus-adapter's flag): got '${text}'`);
  }
}

export const adapterCommand: CommandDef = {
  name: 'adapter',
  summary: 'Serve the custom and external metrics APIs from Prometheus with prometheus-adapter rules (127.0.0.1)',
  usage: '--config FILE --prometheus URL [--port N] [--metrics-relist-interval D] [options]',
  options: [
    { name: 'config', type: 'string', short: 'c', arg: 'FILE', description: "prometheus-adapter rules: its config file, or Helm values with 'prometheus-adapter.rules'" },
    { name: 'prometheus', type: 'string', arg: 'URL', description: 'Prometheus base URL, e.g. http://127.0.0.1:9090' },
    { name: 'port', type: 'string', short: 'p', arg: 'N', default: '6443', description: 'port on 127.0.0.1 (0: any free port)' },
    { name: 'metrics-relist-interval', type: 'string', arg: 'D', default: '10m', description: 'how often to re-list the series from Prometheus' },
    { name: 'metrics-max-age', type: 'string', arg: 'D', description: 'how far back a relist looks for series (default: the relist interval)' },
    { name: 'no-promql-check', type: 'boolean', description: 'skip the promtool syntax check of the rules at load' },
    { name: 'print-apiservice', type: 'boolean', description: 'print the APIService, Service and Deployment manifests for a real cluster, and exit' },
  ],
  examples: [
    'hpa-lab adapter --config examples/lightning-asr/values.yaml --prometheus http://127.0.0.1:9090 --metrics-relist-interval 1m',
    'hpa-lab adapter --print-apiservice > adapter-apiservice.yaml',
  ],
  async run({ positionals, values }, io) {
    if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    if (values['print-apiservice']) {
      io.stdout.write(ADAPTER_APISERVICE_MANIFESTS);
      return 0;
    }
    const config = values['config'] as string | undefined;
    const prometheus = values['prometheus'] as string | undefined;
    if (!config) throw new UsageError("missing '--config FILE'");
    if (!prometheus) throw new UsageError("missing '--prometheus URL'");
    if (!/^https?:\/\//.test(prometheus)) throw new UsageError(`'--prometheus' must be an http(s) URL: got '${prometheus}'`);
    const portText = String(values['port']);
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`'--port' must be an integer from 0 to 65535: got '${portText}'`);
    const relistIntervalMs = parseDuration(String(values['metrics-relist-interval'] ?? '10m'), 'metrics-relist-interval');
    const maxAge = values['metrics-max-age'] as string | undefined;
    const loaded = await loadAdapterConfigFile(config, { checkPromql: values['no-promql-check'] !== true });
    const adapter = await startAdapterServer({
      compiled: loaded.compiled,
      prometheus,
      port: Number(portText),
      relistIntervalMs,
      file: config,
      ...(maxAge === undefined ? {} : { metricsMaxAgeMs: parseDuration(maxAge, 'metrics-max-age') }),
      log: (line) => io.stderr.write(`hpa-lab adapter: ${line}\n`),
    });
    const first = adapter.provider.lastRelist;
    const custom = adapter.provider.registry.listAllMetrics().length;
    const external = adapter.provider.externalRegistry.listAllMetrics().length;
    io.stdout.write(
      [
        `hpa-lab adapter: ${adapter.url} (custom.metrics.k8s.io v1beta1 v1beta2, external.metrics.k8s.io v1beta1)`,
        `  rules: ${config} (${loaded.compiled.rules.length} custom, ${loaded.compiled.externalRules.length} external)`,
        `  prometheus: ${prometheus}, relist every ${relistIntervalMs / 1000}s${relistIntervalMs === DEFAULT_RELIST_INTERVAL_MS ? ' (upstream default)' : ''}`,
        first?.ok ? `  first relist: ${custom} custom and ${external} external metrics` : `  first relist failed: ${first?.error ?? ''} (serving 404s until a relist succeeds)`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await untilSignal();
    await adapter.close();
    return 0;
  },
};

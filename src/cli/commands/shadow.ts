/**
 * `hpa-lab shadow --cluster`: the dry-run HPA (see src/kube/client/shadow.ts). Every sync period
 * it prints one table of our decisions next to the live ones; `--metrics-port` serves them to
 * Prometheus; `--once` runs one sync and exits (1 when an API error was met).
 */
import { createServer, type Server } from 'node:http';
import { formatColumns } from '../../controller/index.js';
import { loadHpaFile } from '../../input/files/index.js';
import { connectCluster, createShadow, formatShadowSync } from '../../kube/client/index.js';
import { UsageError, type CommandDef } from '../command.js';
import { ALL_NAMESPACES_OPTION, CLUSTER_OPTIONS, NAMESPACE_OPTION, clusterOptionsFrom } from './cluster-options.js';

function parseSeconds(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v);
  if (!m) throw new UsageError(`'--${flag}' must be a duration such as 15s, 500ms or 1m: got '${v}'`);
  const n = Number(m[1]);
  const s = m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
  if (!(s > 0)) throw new UsageError(`'--${flag}' must be > 0: got '${v}'`);
  return s;
}

export const shadowCommand: CommandDef = {
  name: 'shadow',
  summary: 'Run the engine beside the live HPAs every sync period, never writing /scale: predict them (mirror) or try another spec (candidate)',
  usage: '--cluster [-n NS | -A] [NAME ...] [--spec FILE] [--sync-period 15s] [--metrics-port PORT] [--once]',
  options: [
    ...CLUSTER_OPTIONS,
    NAMESPACE_OPTION,
    ALL_NAMESPACES_OPTION,
    { name: 'spec', type: 'string', arg: 'FILE', description: 'candidate mode: run this HPA manifest (or Helm values) on the live metrics instead of the live spec' },
    { name: 'sync-period', type: 'string', arg: 'DURATION', default: '15s', description: "the controller's sync period" },
    { name: 'metrics-port', type: 'string', arg: 'PORT', description: 'serve Prometheus metrics on 127.0.0.1:PORT/metrics (hpa_lab_shadow_desired_replicas, agreement counters)' },
    { name: 'metrics-address', type: 'string', arg: 'HOST', default: '127.0.0.1', description: 'address for --metrics-port (0.0.0.0 in a cluster)' },
    { name: 'emit-events', type: 'boolean', description: 'create an Event on the HPA when our decision changes (needs create on events)' },
    { name: 'once', type: 'boolean', description: 'run one sync and exit' },
    { name: 'json', type: 'boolean', description: 'print each sync as one JSON line' },
  ],
  examples: ['hpa-lab shadow --cluster -n smallest lightning-asr --once', 'hpa-lab shadow --cluster -A --metrics-port 9464', 'hpa-lab shadow --cluster -n smallest --spec candidate-hpa.yaml --emit-events'],
  async run({ positionals, values }, io) {
    if (!values['cluster']) throw new UsageError('shadow reads a cluster: pass --cluster');
    const all = Boolean(values['all-namespaces']);
    if (all && values['namespace']) throw new UsageError("'-A' and '-n' exclude each other");
    const periodSeconds = parseSeconds(String(values['sync-period'] ?? '15s'), 'sync-period');
    const portFlag = values['metrics-port'] as string | undefined;
    if (portFlag !== undefined && !/^\d+$/.test(portFlag)) throw new UsageError(`'--metrics-port' must be a port number: got '${portFlag}'`);
    const specFile = values['spec'] as string | undefined;
    const candidates = specFile ? (await loadHpaFile(specFile)).hpas : undefined;
    const client = connectCluster(clusterOptionsFrom(values));
    const shadow = createShadow(client, {
      namespace: all ? undefined : client.namespace,
      names: positionals,
      mode: candidates ? 'candidate' : 'mirror',
      ...(candidates ? { candidates } : {}),
      emitEvents: Boolean(values['emit-events']),
      now: () => Date.now(),
    });
    let server: Server | undefined;
    if (portFlag !== undefined) {
      server = createServer((req, res) => {
        if (req.url?.split('?')[0] !== '/metrics') {
          res.writeHead(404).end('not found: try /metrics\n');
          return;
        }
        shadow.registry.metrics().then(
          (text) => res.writeHead(200, { 'Content-Type': shadow.registry.contentType }).end(text),
          (error: Error) => res.writeHead(500).end(error.message),
        );
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`'--metrics-port ${portFlag}' cannot be served: ${e.code ?? e.message}`)));
        server?.listen(Number(portFlag), String(values['metrics-address'] ?? '127.0.0.1'), () => resolve());
      });
      io.stderr.write(`hpa-lab shadow: metrics on http://${String(values['metrics-address'] ?? '127.0.0.1')}:${portFlag}/metrics\n`);
    }
    const print = (s: Awaited<ReturnType<typeof shadow.syncOnce>>) => io.stdout.write(values['json'] ? `${JSON.stringify(s)}\n` : formatShadowSync(s, formatColumns));
    try {
      if (values['once']) {
        const s = await shadow.syncOnce();
        print(s);
        return s.errors.length || s.results.some((r) => r.errors.length) ? 1 : 0;
      }
      let stop = false;
      let wake: (() => void) | undefined;
      const onSignal = () => {
        stop = true;
        wake?.();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        while (!stop) {
          const s = await shadow.syncOnce();
          print(s);
          if (stop) break;
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, Math.max(0, periodSeconds * 1000 - s.durationMs)).unref();
          });
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return 0;
    } finally {
      client.close();
      server?.close();
    }
  },
};

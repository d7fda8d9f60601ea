/**
 * The cluster client: kubeconfig and context as kubectl takes them (`--kubeconfig`, `--context`,
 * `-n`, `KUBECONFIG`), credentials applied by `@kubernetes/client-node`, and raw GETs over one
 * keep-alive agent with a timeout, retries with backoff and one-line errors. Read-only unless
 * the caller asks for `post` (only `shadow --emit-events` does).
 */
import http from 'node:http';
import https from 'node:https';
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../../core/index.js';
import { errorFromResponse, KubeError } from './kube-error.js';

/** How to reach a cluster: the kubectl flags. */
export interface ClusterOptions {
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  readonly namespace?: string | undefined;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for connection errors, timeouts, 429 and 5xx (default 2). */
  readonly retries?: number;
  /** First backoff; doubles per retry (default 200 ms). */
  readonly backoffMs?: number;
  /** Sockets per server (bounded concurrency, default 16). */
  readonly maxSockets?: number;
  /** Environment for KUBECONFIG (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What a request is about, for its error line: `horizontalpodautoscaler smallest/lightning-asr`. */
export interface RequestWhat {
  readonly what: string;
  /** Do not retry (e.g. probing an optional API). */
  readonly once?: boolean;
}

export interface KubeClient {
  readonly context: string;
  readonly server: string;
  readonly user: string;
  /** The namespace of `-n`, else the context's, else `default`. */
  readonly namespace: string;
  get<T>(path: string, what: RequestWhat): Promise<T>;
  post<T>(path: string, body: unknown, what: RequestWhat): Promise<T>;
  close(): void;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Loads the kubeconfig like kubectl: `--kubeconfig`, else KUBECONFIG (merged list), else ~/.kube/config. */
export function loadKubeConfig(opts: Pick<ClusterOptions, 'kubeconfig' | 'context' | 'env'>): KubeConfig {
  const kc = new KubeConfig();
  const env = opts.env ?? process.env;
  try {
    if (opts.kubeconfig) {
      if (!existsSync(opts.kubeconfig)) throw new InputError('unreadable', opts.kubeconfig, '', "cannot read the kubeconfig given by '--kubeconfig': no such file");
      kc.loadFromFile(opts.kubeconfig);
    } else {
      const saved = process.env['KUBECONFIG'];
      if (env !== process.env) {
        if (env['KUBECONFIG'] === undefined) delete process.env['KUBECONFIG'];
        else process.env['KUBECONFIG'] = env['KUBECONFIG'];
      }
      try {
        kc.loadFromDefault();
      } finally {
        if (env !== process.env) {
          if (saved === undefined) delete process.env['KUBECONFIG'];
          else process.env['KUBECONFIG'] = saved;
        }
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('syntax', opts.kubeconfig ?? env['KUBECONFIG'] ?? '~/.kube/config', '', `not a valid kubeconfig: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new InputError('schema', opts.kubeconfig ?? env['KUBECONFIG'] ?? '~/.kube/config', 'contexts', `no context named '${opts.context}' (from '--context'): found ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}`);
    }
    kc.setCurrentContext(opts.context);
  }
  return kc;
}

/** Connects (lazily: nothing is sent until the first request) to the cluster of the options. */
export function connectCluster(opts: ClusterOptions = {}): KubeClient {
  const kc = loadKubeConfig(opts);
  const context = kc.getCurrentContext() || '(none)';
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new InputError('schema', opts.kubeconfig ?? 'kubeconfig', `contexts.${context}`, 'the context names no cluster');
  const user = kc.getCurrentUser()?.name ?? '(none)';
  const namespace = opts.namespace || kc.getContextObject(context)?.namespace || 'default';
  const base = new URL(cluster.server);
  const isHttps = base.protocol === 'https:';
  const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 16 };
  const agent = isHttps ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 200;
  const prefix = base.pathname.replace(/\/$/, '');
  // client-node refuses plain-HTTP servers unless skipTLSVerify is set (kubectl does not):
  // credentials are applied through a copy whose cluster says so (there is no TLS to verify).
  let auth = kc;
  if (!isHttps) {
    auth = new KubeConfig();
    auth.loadFromOptions({ clusters: [{ ...cluster, skipTLSVerify: true }], users: kc.users, contexts: kc.contexts, currentContext: context });
  }

  async function once(method: string, path: string, body: string | undefined, what: string): Promise<{ status: number; text: string }> {
    const reqOpts: https.RequestOptions = {
      protocol: base.protocol,
      hostname: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (isHttps ? 443 : 80),
      path: prefix + path,
      method,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    };
    try {
      await auth.applyToHTTPSOptions(reqOpts);
    } catch (error) {
      throw new KubeError('unauthorized', `context '${context}': cannot read ${what}: the credentials of user '${user}' could not be obtained: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
    reqOpts.agent = agent;
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(reqOpts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  async function request<T>(method: string, path: string, body: unknown, w: RequestWhat): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const attempts = w.once ? 1 : retries + 1;
    let last: KubeError | undefined;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(backoffMs * 2 ** (i - 1));
      let res: { status: number; text: string };
      try {
        res = await once(method, path, payload, w.what);
      } catch (error) {
        if (error instanceof KubeError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? '';
        const msg = code === 'ETIMEDOUT' ? `no answer within ${timeoutMs} ms` : `${code || (error as Error).message}`;
        last = new KubeError(code === 'ETIMEDOUT' ? 'timeout' : 'unreachable', `context '${context}': cannot read ${w.what}: the API server ${cluster?.server ?? ''} is unreachable (${msg}${attempts > 1 ? ` after ${i + 1} attempts` : ''}): is the cluster up and the context right?`, { cause: error });
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        try {
          return JSON.parse(res.text) as T;
        } catch {
          throw new KubeError('server', `context '${context}': cannot read ${w.what}: the answer is not JSON`);
        }
      }
      last = errorFromResponse({ context, user, what: w.what, path, status: res.status, body: res.text });
      if (!RETRY_STATUS.has(res.status)) throw last;
    }
    throw last ?? new KubeError('server', `context '${context}': cannot read ${w.what}`);
  }

  return {
    context,
    server: cluster.server,
    user,
    namespace,
    get: (path, what) => request('GET', path, undefined, what),
    post: (path, body, what) => request('POST', path, body, what),
    close: () => agent.destroy(),
  };
}

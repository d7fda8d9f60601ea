/**
 * A small `fetch` over node:http with a keep-alive agent, for the adapter's calls to Prometheus:
 * the subset `createPrometheusClient` uses (method, headers, a string or URLSearchParams body, an
 * abort signal; http: URLs only). It costs a fraction of the global fetch per call, which matters
 * because every metrics API request waits for one Prometheus query.
 */
import { Agent, request as httpRequest } from 'node:http';

/** Creates the fetch (one agent, so one pool of sockets, per fetch). */
export function createKeepAliveFetch(options: { readonly maxSockets?: number } = {}): typeof fetch {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const keepAliveFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'http:') return globalThis.fetch(input, init);
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise<Response>((resolve, reject) => {
      const req = httpRequest(url, { method: init.method ?? 'GET', headers, agent, ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') responseHeaders.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: responseHeaders }));
        });
        res.on('error', reject);
      });
      req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      req.end(body);
    });
  };
  return keepAliveFetch as typeof fetch;
}

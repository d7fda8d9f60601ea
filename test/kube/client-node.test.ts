/**
 * `@kubernetes/client-node` (what `explain/scan/shadow --cluster` use) reads the small API server:
 * HPAs, the scale subresource, pods by selector, events by field selector.
 */
import { AppsV1Api, AutoscalingV2Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigText, type KubeServer } from '../../src/kube/index.js';
import { seeded, serveWithKubeconfig } from './kube-fixture.js';

describe('@kubernetes/client-node against the small API server', () => {
  let server: KubeServer;
  let kc: KubeConfig;
  beforeAll(async () => {
    const s = seeded({ token: 'client-node', requireToken: true });
    ({ server } = await serveWithKubeconfig(s.app, 'client-node'));
    kc = new KubeConfig();
    kc.loadFromString(kubeconfigText({ server: server.url, token: 'client-node', namespace: 'smallest' }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists HPAs, reads the scale subresource, lists pods by label and events by field selector', async () => {
    const hpas = await kc.makeApiClient(AutoscalingV2Api).listNamespacedHorizontalPodAutoscaler({ namespace: 'smallest' });
    expect(hpas.items.map((h) => [h.metadata?.name, h.spec?.maxReplicas, h.metadata?.creationTimestamp instanceof Date])).toEqual([['lightning-asr', 20, true]]);
    const scale = await kc.makeApiClient(AppsV1Api).readNamespacedDeploymentScale({ namespace: 'smallest', name: 'lightning-asr' });
    expect([scale.spec?.replicas, scale.status?.selector]).toEqual([2, 'app=lightning-asr']);
    const core = kc.makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'smallest', labelSelector: 'app=lightning-asr' });
    expect(pods.items.map((p) => p.status?.phase)).toEqual(['Running', 'Running']);
    const events = await core.listNamespacedEvent({ namespace: 'smallest', fieldSelector: 'involvedObject.kind=HorizontalPodAutoscaler' });
    expect(events.items).toEqual([]);
    await expect(kc.makeApiClient(AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({ namespace: 'smallest', name: 'nope' })).rejects.toMatchObject({ code: 404 });
  });
});

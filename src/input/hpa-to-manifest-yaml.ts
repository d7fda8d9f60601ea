import { stringify } from 'yaml';
import type { HorizontalPodAutoscaler } from '../engine/index.js';

/**
 * Renders an HPA as an autoscaling/v2 manifest (one YAML document, fields in the API's order,
 * `status` left out), ready for `kubectl apply -f`. `parseHpaManifests()` reads it back equal.
 *
 * @example hpaToManifestYaml(hpa).split('\n')[0] // -> 'apiVersion: autoscaling/v2'
 */
export function hpaToManifestYaml(hpa: HorizontalPodAutoscaler): string {
  const { name, namespace, labels, annotations } = hpa.metadata;
  const { scaleTargetRef, minReplicas, maxReplicas, metrics, behavior } = hpa.spec;
  const manifest = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      ...(labels === undefined ? {} : { labels }),
      ...(annotations === undefined ? {} : { annotations }),
    },
    spec: {
      scaleTargetRef,
      ...(minReplicas === undefined ? {} : { minReplicas }),
      maxReplicas,
      ...(metrics === undefined ? {} : { metrics }),
      ...(behavior === undefined || behavior === null ? {} : { behavior }),
    },
  };
  return stringify(manifest, { lineWidth: 0 });
}

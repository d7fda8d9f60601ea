/** Calculator presets: the blog's figures (seed 003) and the seeds' Lightning ASR HPA (seed 000). */
import { BLOG_CALC, type CalcState } from './state.js';

/** One button each, in the order of the blog's story. */
export const CALC_PRESETS: readonly { readonly label: string; readonly calc: CalcState }[] = [
  { label: 'Blog, 12:18: CPU and memory, 1 pod', calc: BLOG_CALC },
  { label: 'Blog, Fig. 3–4: CPU 600m at startup', calc: { ...BLOG_CALC, metrics: [BLOG_CALC.metrics[0]!] } },
  { label: 'Blog, Fig. 5: memory 1100Mi, 3 pods', calc: { ...BLOG_CALC, replicas: 3, metrics: [BLOG_CALC.metrics[1]!] } },
  {
    label: 'Blog, 12:20: 3 pods, CPU 80m',
    calc: { ...BLOG_CALC, replicas: 3, metrics: [{ ...BLOG_CALC.metrics[0]!, current: '80m' }, BLOG_CALC.metrics[1]!] },
  },
  {
    label: 'Seeds: 12 active requests per pod, target 5',
    calc: {
      replicas: 2,
      minReplicas: 1,
      maxReplicas: 10,
      tolerance: 0.1,
      metrics: [{ kind: 'Pods', name: 'asr_active_requests', current: '12', targetType: 'AverageValue', target: '5', request: '' }],
      sweepMetric: 0,
    },
  },
];


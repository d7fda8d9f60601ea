import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TimeChart } from './chart-spec.js';
import { svgToPng } from './png.js';
import { renderTimeChartSvg, renderXYChartSvg } from './svg-chart.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which always follows the 8-byte signature. */
function ihdr(png: Buffer): { widthPx: number; heightPx: number } {
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { widthPx: png.readUInt32BE(16), heightPx: png.readUInt32BE(20) };
}

/** The blog's story: a CPU spike at startup scales 1 -> 3, then memory (fixed usage) holds 3 pods. */
function blogChart(): TimeChart {
  const t: number[] = [];
  const cpu: number[] = [];
  const memory: number[] = [];
  const replicas: number[] = [];
  for (let s = 0; s <= 1800; s += 15) {
    t.push(s);
    const r = s < 75 ? 1 : s < 150 ? 2 : 3;
    replicas.push(r);
    cpu.push(s < 120 ? 600 - s : 80 + 10 * Math.sin(s / 60));
    memory.push(1100 + 20 * Math.sin(s / 200));
  }
  return {
    title: 'autoscaler-name: CPU spike at startup, memory holds 3 pods',
    subtitle: 'targets: cpu 90% of 500m = 450m, memory 90% of 1350Mi = 1215Mi; minReplicas 1, maxReplicas 3',
    panels: [
      {
        title: 'Replicas',
        yLabel: 'pods',
        series: [{ name: 'current replicas', t, y: replicas, step: true }],
        markers: [
          { t: 75, label: 'New size: 2; reason: cpu above target', kind: 'up' },
          { t: 150, label: 'New size: 3; reason: cpu above target', kind: 'up' },
          { t: 900, label: 'ScaleDownStabilized', kind: 'info' },
        ],
        thresholds: [{ y: 3, label: 'maxReplicas 3' }],
      },
      {
        title: 'CPU per pod',
        yLabel: 'millicores',
        series: [{ name: 'cpu usage', t, y: cpu, area: true }],
        thresholds: [{ y: 450, label: 'target 450m' }],
      },
      {
        title: 'Memory per pod',
        yLabel: 'MiB',
        series: [{ name: 'memory usage', t, y: memory }],
        thresholds: [{ y: 1215, label: 'target 1215Mi' }],
      },
    ],
  };
}

describe('svgToPng()', () => {
  const svg = renderTimeChartSvg(blogChart());

  it.each([
    { name: 'the SVG width when none is asked', widthPx: undefined, want: 1100 },
    { name: 'the requested width', widthPx: 800, want: 800 },
    { name: 'a high-resolution width', widthPx: 2200, want: 2200 },
  ])('writes a PNG of $name', ({ widthPx, want }) => {
    const png = svgToPng(svg, widthPx === undefined ? {} : { widthPx });
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const size = ihdr(png);
    expect(size.widthPx).toBe(want);
    const svgHeight = Number(/^<svg[^>]*\sheight="(\d+)"/.exec(svg)?.[1]);
    expect(size.heightPx).toBeCloseTo((svgHeight * want) / 1100, -1);
  });

  it.each([
    { widthPx: 0, message: "Cannot render PNG as 'widthPx' must be a positive integer: current value is 0" },
    { widthPx: 10.5, message: "Cannot render PNG as 'widthPx' must be a positive integer: current value is 10.5" },
  ])('throws a RangeError for widthPx $widthPx', ({ widthPx, message }) => {
    expect(() => svgToPng(svg, { widthPx })).toThrow(new RangeError(message));
  });

  it('writes sample charts to artifacts/ for a visual check', () => {
    const dir = new URL('../../artifacts/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    const sample = svgToPng(svg);
    writeFileSync(new URL('report-sample.png', dir), sample);
    const xy = renderXYChartSvg({
      title: 'HPA CPU: current vs expected replicas (blog Figure 4)',
      xLabel: 'current replicas',
      yLabel: 'desired replicas',
      series: [
        { name: 'cpu 600m per pod, target 450m', x: [1, 2, 3, 4, 5, 6], y: [2, 3, 4, 6, 7, 8], step: true },
        { name: 'memory 1100Mi, target 1215Mi', x: [1, 2, 3, 4, 5, 6], y: [1, 2, 3, 4, 5, 5] },
      ],
      identityLine: true,
      caption: 'Above the dashed line y = x the HPA scales up at every sync until maxReplicas; on it, it never scales down.',
    });
    writeFileSync(new URL('report-sample-xy.png', dir), svgToPng(xy));
    expect(sample.length).toBeGreaterThan(10_000);
  });
});

import { describe, expect, it } from 'vitest';
import type { TimeChart, XYChart } from './chart-spec.js';
import { renderTimeChartSvg, renderXYChartSvg } from './svg-chart.js';
import { xmlProblems } from './testing/well-formed.js';

const t = [0, 15, 30, 45, 60, 75, 90, 105, 120];
const spike: TimeChart = {
  title: 'Traffic spike & recovery',
  subtitle: 'asr_active_requests target 4 per pod',
  panels: [
    {
      title: 'Replicas',
      yLabel: 'pods',
      series: [
        { name: 'desired', t, y: [1, 1, 3, 3, 5, 5, 5, 4, 4], step: true },
        { name: 'current <ready>', t, y: [1, 1, 1, 3, 3, 5, 5, 5, 4], step: true, dashed: true },
      ],
      markers: [
        { t: 30, label: 'SuccessfulRescale 1→3', kind: 'up' },
        { t: 105, label: 'scale down 5→4', kind: 'down' },
        { t: 60, label: 'FailedGetPodsMetric', kind: 'warning' },
      ],
      thresholds: [{ y: 5, label: 'maxReplicas 5' }],
    },
    {
      title: 'asr_active_requests per pod',
      yLabel: 'requests',
      series: [{ name: 'value', t, y: [2, 9, 8, NaN, 5, 4, 3, 3, 2], area: true, color: '#e15759' }],
      thresholds: [{ y: 4, label: 'target 4' }],
    },
  ],
};

describe('renderTimeChartSvg()', () => {
  const svg = renderTimeChartSvg(spike);

  it('returns a well-formed SVG document', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(xmlProblems(svg)).toEqual([]);
  });

  it.each([
    { name: 'chart title', text: 'Traffic spike &amp; recovery' },
    { name: 'subtitle', text: 'asr_active_requests target 4 per pod' },
    { name: 'first panel title', text: '>Replicas<' },
    { name: 'second panel title', text: '>asr_active_requests per pod<' },
    { name: 'series name', text: '>desired<' },
    { name: 'escaped series name', text: 'current &lt;ready&gt;' },
    { name: 'third series name', text: '>value<' },
    { name: 'y label', text: '>pods<' },
    { name: 'default x label', text: '>time<' },
    { name: 'threshold label', text: 'maxReplicas 5' },
    { name: 'metric target', text: 'target 4' },
    { name: 'marker label', text: 'SuccessfulRescale 1→3' },
    { name: 'warning marker label', text: 'FailedGetPodsMetric' },
    { name: 'clock tick label', text: '0:01:00' },
    { name: 'accessible role', text: 'role="img"' },
    { name: 'accessible name', text: '<title>Traffic spike &amp; recovery</title>' },
    { name: 'explicit series colour', text: '#e15759' },
  ])('contains the $name', ({ text }) => {
    expect(svg).toContain(text);
  });

  it('grows with the number of panels and honours the requested size', () => {
    const one = renderTimeChartSvg({ ...spike, panels: spike.panels.slice(0, 1), widthPx: 800, heightPerPanelPx: 150 });
    const height = (s: string): number => Number(/^<svg[^>]*\sheight="(\d+)"/.exec(s)?.[1]);
    expect(/^<svg[^>]*\swidth="800"/.test(one)).toBe(true);
    expect(height(svg)).toBeGreaterThan(height(one));
  });

  it('formats a 30-day axis in days and downsamples 170k points per series', () => {
    const n = 172_800;
    const tt = Float64Array.from({ length: n }, (_, i) => i * 15);
    const load = Float64Array.from(tt, (s) => 50 + 40 * Math.sin((s / 86_400) * 2 * Math.PI));
    const replicas = Float64Array.from(load, (v) => Math.ceil(v / 20));
    const big = renderTimeChartSvg({
      title: '30 days',
      xLabel: 'time since start',
      panels: [
        { title: 'Replicas', yLabel: 'pods', series: [{ name: 'current', t: tt, y: replicas, step: true }] },
        { title: 'Load', yLabel: 'req/s', series: [{ name: 'arrivals', t: tt, y: load }] },
      ],
    });
    expect(xmlProblems(big)).toEqual([]);
    expect(big).toContain('>7d<');
    expect(big).toContain('time since start');
    expect(big.length).toBeLessThan(1_000_000);
  });

  it('draws panels without series and without data', () => {
    const svgEmpty = renderTimeChartSvg({
      title: 'empty',
      panels: [{ title: 'Nothing yet', yLabel: 'pods', series: [], markers: [{ t: 10, label: 'start' }] }],
    });
    expect(xmlProblems(svgEmpty)).toEqual([]);
    expect(svgEmpty).toContain('Nothing yet');
  });

  it('prints braces in labels literally rather than as echarts templates', () => {
    const braces = renderTimeChartSvg({
      title: '{a} chart',
      panels: [
        {
          title: '{b|x} panel',
          yLabel: '{c}',
          series: [{ name: '{a} series', t: [0, 10], y: [1, 2] }],
          markers: [{ t: 5, label: '{b} marker {x|y}' }],
          thresholds: [{ y: 1.5, label: '{c} threshold' }],
        },
      ],
    });
    for (const text of ['{a} chart', '{b|x} panel', '>{c}<', '{a} series', '{b} marker {x|y}', '{c} threshold']) {
      expect(braces).toContain(text);
    }
  });

  it('shortens marker labels that would not fit the panel height', () => {
    const long = 'x'.repeat(200);
    const out = renderTimeChartSvg({
      title: 'long',
      heightPerPanelPx: 120,
      panels: [{ title: 'p', yLabel: 'y', series: [{ name: 's', t: [0, 10], y: [1, 2] }], markers: [{ t: 5, label: long }] }],
    });
    expect(out).not.toContain(long);
    expect(out).toMatch(/x{10,}…/);
  });

  it('throws a RangeError when there are no panels', () => {
    expect(() => renderTimeChartSvg({ title: 'x', panels: [] })).toThrow(
      new RangeError("Cannot render chart 'x' as 'panels' is empty: give at least one panel"),
    );
  });

  it('throws a RangeError when t and y differ in length', () => {
    const bad: TimeChart = { title: 'x', panels: [{ title: 'p', yLabel: 'y', series: [{ name: 's', t: [0, 1], y: [1] }] }] };
    expect(() => renderTimeChartSvg(bad)).toThrow(new RangeError("Cannot downsample as 't' and 'y' differ in length: 2 and 1"));
  });
});

describe('renderXYChartSvg()', () => {
  const figure4: XYChart = {
    title: 'HPA CPU: desired vs current replicas',
    xLabel: 'current replicas',
    yLabel: 'desired replicas',
    series: [
      { name: 'cpu 600m / 450m', x: [1, 2, 3], y: [2, 3, 4], step: true },
      { name: 'memory 1100Mi / 1215Mi', x: [1, 2, 3], y: [1, 2, 3], dashed: true },
    ],
    identityLine: true,
    caption: 'Above y = x the HPA keeps scaling up until maxReplicas.',
  };
  const svg = renderXYChartSvg(figure4);

  it('returns a well-formed SVG document', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(xmlProblems(svg)).toEqual([]);
  });

  it.each([
    { name: 'title', text: 'HPA CPU: desired vs current replicas' },
    { name: 'x label', text: 'current replicas' },
    { name: 'y label', text: '>desired replicas<' },
    { name: 'first series', text: 'cpu 600m / 450m' },
    { name: 'second series', text: 'memory 1100Mi / 1215Mi' },
    { name: 'identity line legend', text: '>y = x<' },
    { name: 'caption', text: 'Above y = x the HPA keeps scaling up' },
  ])('contains the $name', ({ text }) => {
    expect(svg).toContain(text);
  });

  it('leaves out the identity line unless asked', () => {
    const plain = renderXYChartSvg({ ...figure4, identityLine: false });
    expect(plain).not.toContain('>y = x<');
  });

  it('throws a RangeError when x and y differ in length', () => {
    expect(() => renderXYChartSvg({ ...figure4, series: [{ name: 's', x: [1, 2], y: [1] }] })).toThrow(
      new RangeError("Cannot render series 's' as 'x' and 'y' differ in length: 2 and 1"),
    );
  });
});

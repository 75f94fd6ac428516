/**
 * Apache ECharts, tree-shaken (`echarts/core` with only the charts and components used here), in
 * the lazily loaded reports chunk: the initial bundle does not carry it. The chart is an image to
 * assistive technology (`role="img"` with a label); the table beside it is its text alternative.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** Colours with at least 3:1 contrast on white (WCAG 2.1 non-text contrast). */
export const PALETTE = ['#0a58a8', '#c2410c', '#1e6b34', '#7b2d8b', '#8a6d00', '#4a5561'];

export function Chart({ option, label, name }: { option: ChartOption; label: string; name: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    chart.setOption({ color: PALETTE, animation: false, ...option });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} className="chart" role="img" aria-label={label} data-chart={name} />;
}

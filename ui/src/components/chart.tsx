// A uPlot time-series chart: days on the x axis, one or more series (uPlot: ~50 KB, canvas, no dependencies).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

export interface Series {
  label: string;
  values: number[];
}

export function DayChart(props: { title: string; days: string[]; series: Series[]; format?: (value: number) => string; bars?: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const xs = props.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [xs, ...props.series.map((series) => series.values)];
    const format = props.format ?? ((value: number) => value.toLocaleString('en-US'));
    const paths = props.bars === true ? uPlot.paths.bars!({ size: [0.6, 40] }) : undefined;
    const chart = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 220,
        title: props.title,
        scales: { x: { time: true } },
        axes: [{}, { values: (_u, values) => values.map((value) => format(value)), size: 70 }],
        series: [{}, ...props.series.map((series, index) => ({
          label: series.label, stroke: COLORS[index % COLORS.length], fill: `${COLORS[index % COLORS.length]}33`, width: 2, paths,
          points: { show: xs.length < 40 }, value: (_u: uPlot, value: number | null) => (value === null ? '—' : format(value)),
        }))],
      },
      data,
      element,
    );
    return () => chart.destroy();
  }, [props.days, props.series, props.title]);
  return <div class="chart" ref={host} />;
}

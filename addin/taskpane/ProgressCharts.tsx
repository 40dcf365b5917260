// The statistics over rounds drawn on the page (the browser page for WPS users: its .xlsx download cannot carry
// charts): the rates by round and 办结率 by county, with the parts of ECharts they need (echarts-lite.ts), loaded
// only when the office asks for them so the page's first load does not carry the charting library.
import { Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ProgressResponse } from '../../contract/api';
import { toFailure } from './task';

type Series = { name: string; values: (number | null)[] };

const pct = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 10);

/** The two charts' data, in percent. */
export function progressSeries(progress: ProgressResponse): {
  rounds: string[];
  trend: Series[];
  units: string[];
  closed: (number | null)[];
} {
  const rounds = progress.rounds.map((r) => r.round);
  const sampled = (r: ProgressResponse['rounds'][number]) => r.callback !== null && r.callback.sampled > 0;
  return {
    rounds,
    trend: [
      { name: '办结率', values: progress.rounds.map((r) => pct(r.closedRate)) },
      { name: '按时报送率', values: progress.rounds.map((r) => pct(r.units ? r.onTime / r.units : 0)) },
      { name: '回访完成率', values: progress.rounds.map((r) => (sampled(r) ? pct(r.callback!.coverage) : null)) },
      {
        name: '回访满意率',
        values: progress.rounds.map((r) => (sampled(r) && r.callback!.visited ? pct(r.callback!.satisfaction) : null)),
      },
    ],
    units: progress.units.map((u) => u.unitName),
    closed: progress.units.map((u) => pct(u.rounds.at(-1)?.closedRate ?? 0)),
  };
}

export function ProgressCharts({ progress }: { progress: ProgressResponse }) {
  const trendRef = useRef<HTMLDivElement | null>(null);
  const unitsRef = useRef<HTMLDivElement | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let disposed = false;
    const charts: { dispose(): void }[] = [];
    const data = progressSeries(progress);
    const percentAxis = { type: 'value' as const, max: 100, axisLabel: { formatter: '{value}%' } };
    import('./echarts-lite').then(
      (echarts) => {
        if (disposed || !trendRef.current || !unitsRef.current) return;
        const trend = echarts.init(trendRef.current, undefined, { renderer: 'svg' });
        trend.setOption({
          animation: false,
          title: { text: '各轮办结率、按时报送率与回访情况', textStyle: { fontSize: 13 } },
          tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '—' : `${v}%`) },
          legend: { bottom: 0 },
          grid: { left: 44, right: 16, top: 36, bottom: 76 },
          xAxis: { type: 'category', data: data.rounds },
          yAxis: percentAxis,
          series: data.trend.map((s) => ({ name: s.name, type: 'line', data: s.values, connectNulls: false })),
        });
        const units = echarts.init(unitsRef.current, undefined, { renderer: 'svg' });
        units.setOption({
          animation: false,
          title: { text: `各县办结率(${data.rounds.at(-1) ?? ''})`, textStyle: { fontSize: 13 } },
          tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
          grid: { left: 44, right: 16, top: 36, bottom: 32 },
          xAxis: { type: 'category', data: data.units },
          yAxis: percentAxis,
          series: [
            {
              name: '办结率',
              type: 'bar',
              data: data.closed,
              label: { show: true, position: 'top', formatter: '{c}%' },
            },
          ],
        });
        charts.push(trend, units);
      },
      (err) => !disposed && setFailure(`图表加载失败:${toFailure(err).message}。表格数据在下载的文件中。`),
    );
    return () => {
      disposed = true;
      charts.forEach((c) => c.dispose());
    };
  }, [progress]);

  return (
    <section aria-label="各轮统计图">
      <div
        ref={trendRef}
        role="img"
        aria-label="各轮办结率、按时报送率与回访情况"
        style={{ width: '100%', height: 280 }}
      />
      <div ref={unitsRef} role="img" aria-label="各县办结率" style={{ width: '100%', height: 260 }} />
      {failure && <Text size={200}>{failure}</Text>}
    </section>
  );
}

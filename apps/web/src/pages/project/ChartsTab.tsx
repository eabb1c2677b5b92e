import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { toNumber } from '../../api/client';
import { flopsApi, type FlopsProject } from '../../api/flops';
import { Chart } from '../../components/Chart';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { alignSeries } from '../../transforms/compare';

/** The series endpoint reads at most this many metric keys per request. */
export const MAX_SERIES_METRICS = 20;
const DEFAULT_METRICS = 4;

function finiteOrNull(value: unknown): number | null {
  const n = toNumber(value);
  return Number.isFinite(n) ? n : null;
}

/** `?metrics=a,b` when present, else the first few keys. */
export function useMetricSelection(keys: readonly string[]) {
  const [params, setParams] = useSearchParams();
  const raw = params.get('metrics');
  const chosen = raw === null ? keys.slice(0, DEFAULT_METRICS) : raw.split(',').filter(Boolean);
  const toggle = (key: string) => {
    const next = chosen.includes(key) ? chosen.filter((k) => k !== key) : [...chosen, key];
    setParams(
      (p) => {
        p.set('metrics', next.slice(0, MAX_SERIES_METRICS).join(','));
        return p;
      },
      { replace: true },
    );
  };
  return { chosen: chosen.slice(0, MAX_SERIES_METRICS), toggle };
}

export function MetricPicker(props: {
  keys: readonly string[];
  chosen: readonly string[];
  toggle: (key: string) => void;
}) {
  return (
    <fieldset className="toolbar picker">
      <legend>Metrics (at most {MAX_SERIES_METRICS})</legend>
      {props.keys.length === 0 && <span className="muted">No round metrics yet.</span>}
      {props.keys.map((key) => (
        <label key={key}>
          <input
            type="checkbox"
            checked={props.chosen.includes(key)}
            disabled={!props.chosen.includes(key) && props.chosen.length >= MAX_SERIES_METRICS}
            onChange={() => props.toggle(key)}
          />{' '}
          {key}
        </label>
      ))}
    </fieldset>
  );
}

/** One chart per chosen metric across rounds, from one series request; the best round marked. */
export function ChartsTab({
  project,
  metricKeys,
}: {
  project: FlopsProject;
  metricKeys: string[];
}) {
  const { chosen, toggle } = useMetricSelection(metricKeys);
  const series = useQuery({
    queryKey: ['flops', 'series', project.experiment_id, chosen],
    queryFn: ({ signal }) => flopsApi.series(project.experiment_id, chosen, false, signal),
    enabled: chosen.length > 0,
  });
  const best = project.best_round;
  const markers = useMemo(
    () => (best ? [{ x: best.round, label: `best: round ${best.round}` }] : undefined),
    [best],
  );
  const charts = useMemo(
    () =>
      (series.data?.metrics ?? []).map((metric) => {
        const aligned = alignSeries([
          {
            label: metric.key,
            points: metric.points.flatMap((p) => {
              const y = finiteOrNull(p.value);
              return y === null ? [] : [{ x: p.round, y }];
            }),
          },
        ]);
        return {
          key: metric.key,
          x: aligned.xs,
          series: [{ label: metric.key, values: aligned.ys[0] ?? [] }],
        };
      }),
    [series.data],
  );
  return (
    <>
      <MetricPicker keys={metricKeys} chosen={chosen} toggle={toggle} />
      {series.isLoading && <Loading what="series" />}
      {series.isError && <ErrorView error={series.error} what="the series" />}
      <div className="grid-2">
        {charts.map((c) => (
          <Chart
            key={c.key}
            title={c.key}
            xLabel="round"
            x={c.x}
            series={c.series}
            markers={markers}
          />
        ))}
      </div>
    </>
  );
}

/** Per system/* key: the mean and the max of each round. */
export function SystemTab({ project }: { project: FlopsProject }) {
  const series = useQuery({
    queryKey: ['flops', 'series', project.experiment_id, 'system'],
    queryFn: ({ signal }) => flopsApi.series(project.experiment_id, [], true, signal),
  });
  const charts = useMemo(
    () =>
      (series.data?.system ?? []).map((s) => {
        const aligned = alignSeries(
          (['mean', 'max'] as const).map((field) => ({
            label: field,
            points: s.points.flatMap((p) => {
              const y = finiteOrNull(p[field]);
              return y === null ? [] : [{ x: p.round, y }];
            }),
          })),
        );
        return {
          key: s.key,
          x: aligned.xs,
          series: aligned.labels.map((label, i) => ({ label, values: aligned.ys[i] ?? [] })),
        };
      }),
    [series.data],
  );
  if (series.isPending) return <Loading what="system metrics" />;
  if (series.isError) return <ErrorView error={series.error} what="the system metrics" />;
  if (charts.length === 0) return <p className="muted">No system metrics were logged.</p>;
  return (
    <div className="grid-2">
      {charts.map((c) => (
        <Chart key={c.key} title={c.key} xLabel="round" x={c.x} series={c.series} />
      ))}
    </div>
  );
}

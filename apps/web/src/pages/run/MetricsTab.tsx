import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';

import { toNumber } from '../../api/client';
import { mlflowApi, Run } from '../../api/mlflow';
import { Chart } from '../../components/Chart';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { isSampled, toSeries } from '../../transforms/history';

/** Points the server samples a history down to; uPlot draws this many in a few ms. */
const SAMPLED_POINTS = 1000;
/** The tracking server's cap on get-history-bulk-interval max_results: a window of up to this many steps comes back whole. */
const FULL_RANGE_POINTS = 2500;

/** `?zoom.<key>=<first>..<last>`: the zoomed step window, in the URL so a zoomed view can be shared. */
function parseZoom(text: string | null): { min: number; max: number } | null {
  const match = /^(-?\d+)\.\.(-?\d+)$/.exec(text ?? '');
  if (!match) return null;
  const [min, max] = [Number(match[1]), Number(match[2])];
  return min <= max ? { min, max } : null;
}

function MetricChart({ runId, metricKey }: { runId: string; metricKey: string }) {
  const [params, setParams] = useSearchParams();
  const zoomParam = `zoom.${metricKey}`;
  const zoom = useMemo(() => parseZoom(params.get(zoomParam)), [params, zoomParam]);
  const setZoom = (range: { min: number; max: number } | null) => {
    const next = new URLSearchParams(params);
    if (range) next.set(zoomParam, `${Math.floor(range.min)}..${Math.ceil(range.max)}`);
    else next.delete(zoomParam);
    setParams(next);
  };
  const sampled = useQuery({
    queryKey: ['history-sampled', runId, metricKey],
    queryFn: ({ signal }) =>
      mlflowApi.historyBulkInterval(
        { runIds: [runId], key: metricKey, maxResults: SAMPLED_POINTS },
        signal,
      ),
  });
  const zoomed = useQuery({
    queryKey: ['history-range', runId, metricKey, zoom?.min, zoom?.max],
    enabled: zoom !== null,
    queryFn: ({ signal }) =>
      mlflowApi.historyBulkInterval(
        {
          runIds: [runId],
          key: metricKey,
          maxResults: FULL_RANGE_POINTS,
          startStep: Math.floor(zoom!.min),
          endStep: Math.ceil(zoom!.max),
        },
        signal,
      ),
  });
  const base = useMemo(() => toSeries(sampled.data?.metrics ?? [], toNumber), [sampled.data]);
  /** Zoomed: the window's points at full resolution (up to FULL_RANGE_POINTS steps). */
  const points = useMemo(
    () => (zoom && zoomed.data ? toSeries(zoomed.data.metrics ?? [], toNumber) : base),
    [base, zoom, zoomed.data],
  );
  const x = useMemo(() => points.map((p) => p.step), [points]);
  const series = useMemo(
    () => [{ label: metricKey, values: points.map((p) => p.value) }],
    [metricKey, points],
  );
  if (sampled.error) return <ErrorView error={sampled.error} what={`${metricKey} history`} />;
  if (sampled.isPending) return <Loading what={`${metricKey} history`} />;
  const received = sampled.data.metrics?.length ?? 0;
  const zoomReceived = zoomed.data?.metrics?.length ?? 0;
  const caption = zoom
    ? zoomed.isFetching
      ? `Loading steps ${Math.floor(zoom.min)}–${Math.ceil(zoom.max)} at full resolution…`
      : isSampled(zoomReceived, FULL_RANGE_POINTS)
        ? `Steps ${Math.floor(zoom.min)}–${Math.ceil(zoom.max)}: the server sampled ${zoomReceived} points; zoom in further for every point. Double-click to reset.`
        : `Steps ${Math.floor(zoom.min)}–${Math.ceil(zoom.max)}: all ${zoomReceived} points. Double-click to reset.`
    : isSampled(received, SAMPLED_POINTS)
      ? `Sampled by the server to ${received} points; the history has more. Drag to zoom: the visible range is fetched at full resolution.`
      : `All ${received} points.`;
  return (
    <div>
      <Chart title={metricKey} xLabel="step" x={x} series={series} onZoom={setZoom} />
      <p className="muted">{caption}</p>
    </div>
  );
}

export function MetricsTab({ run }: { run: Run }) {
  const [params, setParams] = useSearchParams();
  const keys = useMemo(
    () => [...new Set((run.data.metrics ?? []).map((m) => m.key))].sort(),
    [run.data.metrics],
  );
  const chosenParam = params.get('metrics');
  const chosen = chosenParam
    ? chosenParam.split(',').filter((k) => keys.includes(k))
    : keys.slice(0, 4);
  const toggle = (key: string) => {
    const next = new URLSearchParams(params);
    const list = chosen.includes(key) ? chosen.filter((k) => k !== key) : [...chosen, key];
    next.set('metrics', list.join(','));
    setParams(next, { replace: true });
  };
  if (keys.length === 0) return <p className="muted">This run has no metrics.</p>;
  return (
    <>
      <fieldset className="check-list">
        <legend>Metrics to chart</legend>
        {keys.map((key) => (
          <label key={key}>
            <input type="checkbox" checked={chosen.includes(key)} onChange={() => toggle(key)} />{' '}
            {key}
          </label>
        ))}
      </fieldset>
      {chosen.map((key) => (
        <MetricChart key={key} runId={run.info.run_id} metricKey={key} />
      ))}
    </>
  );
}

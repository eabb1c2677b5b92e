import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { flopsApi, type FlopsRound } from '../api/flops';
import { ErrorView } from '../components/ErrorView';
import { Loading } from '../components/Loading';
import { formatDuration, formatTime, formatValue } from '../format/format';

/** One FLOps round: status, times, aggregation, metrics, params, system summary, cluster rounds. */
export function RoundPage() {
  const { experimentId = '', round: roundParam = '' } = useParams();
  const round = Number(roundParam);
  const validRound = /^\d+$/.test(roundParam);
  const query = useQuery({
    queryKey: ['flops', 'round', experimentId, round],
    queryFn: ({ signal }) => flopsApi.getRound(experimentId, round, signal),
    enabled: validRound,
  });
  if (!validRound) return <ErrorView error={new Error(`Not a round number: ${roundParam}`)} />;
  if (query.isPending) return <Loading what="round" />;
  if (query.isError) return <ErrorView error={query.error} what="the round" />;
  const r = query.data.round;
  return (
    <section>
      <p>
        <Link to={`/projects/${encodeURIComponent(experimentId)}`}>Project {experimentId}</Link>
      </p>
      <h1>Round {r.round}</h1>
      <p>
        <Link
          to={`/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(r.run_id)}`}
        >
          Run {r.run_name || r.run_id}
        </Link>
      </p>
      <RoundSummary round={r} />
      <KeyValueTable caption="Metrics" rows={r.metrics.map((m) => [m.key, formatValue(m.value)])} />
      <KeyValueTable caption="Params" rows={r.params.map((p) => [p.key, p.value])} />
      <table>
        <caption>System metrics</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Mean</th>
            <th scope="col">Max</th>
            <th scope="col">Samples</th>
          </tr>
        </thead>
        <tbody>
          {r.system_metrics.map((s) => (
            <tr key={s.key}>
              <th scope="row">{s.key}</th>
              <td>{formatValue(s.mean)}</td>
              <td>{formatValue(s.max)}</td>
              <td>{s.samples}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.cluster_rounds.length > 0 && (
        <table>
          <caption>Cluster rounds</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Metrics</th>
            </tr>
          </thead>
          <tbody>
            {r.cluster_rounds.map((c) => (
              <tr key={c.run_id}>
                <th scope="row">
                  <Link
                    to={`/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(c.run_id)}`}
                  >
                    {c.run_name || c.run_id}
                  </Link>
                </th>
                <td>{c.status}</td>
                <td>{formatDuration(c.duration_ms)}</td>
                <td>{c.metrics.map((m) => `${m.key}=${formatValue(m.value)}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RoundSummary({ round: r }: { round: FlopsRound }) {
  const a = r.aggregation;
  return (
    <KeyValueTable
      caption="Round"
      rows={[
        ['Status', r.status],
        ['Start', formatTime(r.start_time)],
        ['End', formatTime(r.end_time)],
        ['Duration', formatDuration(r.duration_ms)],
        ['Participants selected', formatValue(a.participants_selected)],
        ['Participants succeeded', formatValue(a.participants_succeeded)],
        ['Participants failed', formatValue(a.participants_failed)],
        ['Examples', formatValue(a.examples)],
        ['Evaluation examples', formatValue(a.evaluation_examples)],
        ['Carries model', r.carries_model ? 'yes' : 'no'],
      ]}
    />
  );
}

function KeyValueTable({ caption, rows }: { caption: string; rows: [string, string][] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

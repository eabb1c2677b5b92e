import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { KeyValue, mlflowApi, Run } from '../api/mlflow';
import { ErrorView } from '../components/ErrorView';
import { Loading } from '../components/Loading';
import { formatDuration, formatTime, formatValue } from '../format/format';
import { ArtifactsTab } from './run/ArtifactsTab';
import { MetricsTab } from './run/MetricsTab';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'artifacts', label: 'Artifacts' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function KeyValueTable({ label, rows }: { label: string; rows: readonly KeyValue[] }) {
  if (rows.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <td>{row.key}</td>
            <td>{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Overview({ run }: { run: Run }) {
  const [showSystem, setShowSystem] = useState(false);
  const tags = [...(run.data.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const userTags = tags.filter((t) => !t.key.startsWith('mlflow.'));
  const systemTags = tags.filter((t) => t.key.startsWith('mlflow.'));
  const params = [...(run.data.params ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const metrics = [...(run.data.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const { info } = run;
  return (
    <>
      <h2>Info</h2>
      <dl className="facts">
        <dt>Run id</dt>
        <dd>{info.run_id}</dd>
        <dt>Status</dt>
        <dd>{info.status}</dd>
        <dt>User</dt>
        <dd>{info.user_id ?? '—'}</dd>
        <dt>Start</dt>
        <dd>{formatTime(info.start_time)}</dd>
        <dt>Duration</dt>
        <dd>
          {info.end_time ? formatDuration(Number(info.end_time) - Number(info.start_time)) : '—'}
        </dd>
        <dt>Lifecycle</dt>
        <dd>{info.lifecycle_stage}</dd>
        <dt>Artifact URI</dt>
        <dd>{info.artifact_uri ?? '—'}</dd>
      </dl>
      <h2>Params</h2>
      <KeyValueTable label="Params" rows={params} />
      <h2>Latest metrics</h2>
      {metrics.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="data" aria-label="Latest metrics">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col" className="num">
                Step
              </th>
            </tr>
          </thead>
          <tbody>
            {metrics.map((m) => (
              <tr key={m.key}>
                <td>
                  <Link to={`?tab=metrics&metrics=${encodeURIComponent(m.key)}`}>{m.key}</Link>
                </td>
                <td className="num">{formatValue(m.value)}</td>
                <td className="num">{formatValue(m.step ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Tags</h2>
      <KeyValueTable label="Tags" rows={userTags} />
      {systemTags.length > 0 && (
        <p>
          <button type="button" aria-expanded={showSystem} onClick={() => setShowSystem((s) => !s)}>
            {showSystem ? 'Hide' : 'Show'} {systemTags.length} system tags (mlflow.*)
          </button>
        </p>
      )}
      {showSystem && <KeyValueTable label="System tags" rows={systemTags} />}
      <h2>Inputs</h2>
      {(run.inputs?.dataset_inputs ?? []).length === 0 &&
      (run.inputs?.model_inputs ?? []).length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {(run.inputs?.dataset_inputs ?? []).map((input) => (
            <li key={`${input.dataset.name}:${input.dataset.digest}`}>
              Dataset <strong>{input.dataset.name}</strong>{' '}
              <span className="muted">
                digest {input.dataset.digest}
                {input.dataset.source_type ? `, ${input.dataset.source_type}` : ''}
                {input.dataset.source ? ` ${input.dataset.source}` : ''}
              </span>
              {(input.tags ?? []).length > 0 && (
                <span> — {(input.tags ?? []).map((t) => `${t.key}=${t.value}`).join(', ')}</span>
              )}
            </li>
          ))}
          {(run.inputs?.model_inputs ?? []).map((input) => (
            <li key={input.model_id}>Model input {input.model_id}</li>
          ))}
        </ul>
      )}
      <h2>Outputs (logged models)</h2>
      {(run.outputs?.model_outputs ?? []).length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {(run.outputs?.model_outputs ?? []).map((output) => (
            <li key={`${output.model_id}:${output.step}`}>
              Model {output.model_id} <span className="muted">at step {output.step}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function RunPage() {
  const { experimentId = '', runId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: TabId = TABS.some((t) => t.id === tabParam) ? (tabParam as TabId) : 'overview';
  const run = useQuery({
    queryKey: ['run', runId],
    queryFn: ({ signal }) => mlflowApi.getRun(runId, signal),
  });
  const selectTab = (id: TabId) => {
    const next = new URLSearchParams(params);
    next.set('tab', id);
    if (id !== 'artifacts') next.delete('path');
    setParams(next);
  };
  if (run.error) return <ErrorView error={run.error} what="the run" />;
  if (run.isPending) return <Loading what="the run" />;
  const data = run.data.run;
  return (
    <section>
      <p>
        <Link to={`/experiments/${experimentId}`}>← Experiment {experimentId}</Link>
      </p>
      <h1>{data.info.run_name || data.info.run_id}</h1>
      <div className="tabs" role="tablist" aria-label="Run views">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => selectTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'overview' && <Overview run={data} />}
        {tab === 'metrics' && <MetricsTab run={data} />}
        {tab === 'artifacts' && <ArtifactsTab run={data} />}
      </div>
    </section>
  );
}

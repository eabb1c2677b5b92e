import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { send } from '../../api/client';
import { flopsApi, type FlopsProject } from '../../api/flops';
import { ErrorView } from '../../components/ErrorView';
import { formatTime, formatValue } from '../../format/format';

export function versionPath(name: string, version: string): string {
  return `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
}

/** Id, state, mode, objective, rounds, best round, trained model and its registered version. */
export function ProjectHeader({ project }: { project: FlopsProject }) {
  const best = project.best_round;
  const registered = project.registered_version;
  return (
    <div className="card">
      <h1>Project {project.project_id}</h1>
      <dl className="facts">
        <dt>Experiment</dt>
        <dd>{project.name}</dd>
        <dt>State</dt>
        <dd>
          <span className="badge">{project.state}</span>
        </dd>
        <dt>Mode</dt>
        <dd>{project.mode}</dd>
        <dt>Objective</dt>
        <dd className="mono">{project.objective}</dd>
        <dt>Rounds</dt>
        <dd>{project.rounds}</dd>
        <dt>Last activity</dt>
        <dd>{formatTime(project.last_activity_time)}</dd>
        <dt>Best round</dt>
        <dd>
          {best ? (
            <>
              <Link
                to={`/projects/${encodeURIComponent(project.experiment_id)}/rounds/${best.round}`}
              >
                Round {best.round}
              </Link>{' '}
              {best.metrics.map((m) => `${m.key} ${formatValue(m.value)}`).join(' · ')}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>Trained model</dt>
        <dd>
          {project.model
            ? `round ${project.model.round}, ${project.model.artifact_path}`
            : project.model_uploaded
              ? 'uploaded'
              : 'none yet'}
          {registered && (
            <>
              {' · registered as '}
              <Link to={versionPath(registered.name, registered.version)}>
                {registered.name} v{registered.version}
              </Link>
            </>
          )}
        </dd>
      </dl>
      <ExportButtons project={project} />
    </div>
  );
}

function ExportButtons({ project }: { project: FlopsProject }) {
  const [error, setError] = useState<unknown>(null);
  // fetch + blob rather than a plain link, so the bearer token goes with the request.
  const download = async (format: 'csv' | 'json') => {
    setError(null);
    try {
      const response = await send('GET', flopsApi.exportUrl(project.experiment_id, format));
      const url = URL.createObjectURL(await response.blob());
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = `flops-project-${project.project_id}-rounds.${format}`;
      anchor.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="toolbar">
      <button type="button" onClick={() => void download('csv')}>
        Export CSV
      </button>
      <button type="button" onClick={() => void download('json')}>
        Export JSON
      </button>
      {error !== null && <ErrorView error={error} what="the export" />}
    </div>
  );
}

/** Register the trained model as a new model version, and the versions promoted so far. */
export function PromotePanel({ project }: { project: FlopsProject }) {
  const experimentId = project.experiment_id;
  const client = useQueryClient();
  const [name, setName] = useState(`flops-${project.project_id}`);
  const [alias, setAlias] = useState('');
  const [description, setDescription] = useState('');
  const lineage = useQuery({
    queryKey: ['flops', 'lineage', experimentId],
    queryFn: ({ signal }) => flopsApi.lineage(experimentId, signal),
  });
  const promote = useMutation({
    mutationFn: () =>
      flopsApi.registerModel(experimentId, {
        name: name.trim(),
        alias: alias.trim() || undefined,
        description: description.trim() || undefined,
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['flops', 'lineage', experimentId] });
      void client.invalidateQueries({ queryKey: ['flops', 'project', experimentId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    promote.mutate();
  };
  const created = promote.data?.model_version;
  return (
    <section className="card" aria-labelledby="promote-heading">
      <h2 id="promote-heading">Promote trained model</h2>
      <form className="toolbar" onSubmit={submit}>
        <label>
          Model name
          <input value={name} required onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Alias (optional)
          <input value={alias} onChange={(e) => setAlias(e.target.value)} />
        </label>
        <label>
          Description (optional)
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit" disabled={promote.isPending || !project.model_uploaded}>
          {promote.isPending ? 'Promoting…' : 'Promote trained model'}
        </button>
      </form>
      {!project.model_uploaded && <p className="muted">No trained model has been uploaded yet.</p>}
      {promote.isError && <ErrorView error={promote.error} what="the model version" />}
      {created && (
        <p role="status">
          Created{' '}
          <Link to={versionPath(created.name, created.version)}>
            {created.name} version {created.version}
          </Link>
        </p>
      )}
      <h3>Versions promoted from this project</h3>
      {lineage.isError && <ErrorView error={lineage.error} what="the lineage" />}
      {lineage.data && lineage.data.versions.length === 0 && <p className="muted">None yet.</p>}
      {lineage.data && lineage.data.versions.length > 0 && (
        <ul aria-label="Promoted versions">
          {lineage.data.versions.map(({ model_version: v }) => (
            <li key={`${v.name}/${v.version}`}>
              <Link to={versionPath(v.name, v.version)}>
                {v.name} version {v.version}
              </Link>{' '}
              <span className="muted">{v.current_stage}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

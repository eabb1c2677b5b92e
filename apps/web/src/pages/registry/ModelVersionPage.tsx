import { useQuery } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';

import { KeyValue } from '../../api/mlflow';
import { registryApi } from '../../api/registry';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { DescriptionEditor, TagsEditor } from '../../components/RegistryEditors';
import { useWrite, WriteOutcome } from '../../components/Write';
import { formatTime, formatValue } from '../../format/format';
import { lineageOfVersion, Stage, stageOf, STAGES } from '../../transforms/registry';
import { AliasForm } from './AliasForm';
import { modelPath, projectPath, roundPath, runPath } from './paths';
import { useRunExperiments } from './useRunExperiments';
import { VersionFiles } from './VersionFiles';

export function ModelVersionPage() {
  const routeParams = useParams();
  const name = routeParams.name ?? '';
  const version = routeParams.version ?? '';
  const modelVersion = useQuery({
    queryKey: ['registry', name, 'version', version],
    queryFn: ({ signal }) => registryApi.getVersion(name, version, signal),
  });
  const model = useQuery({
    queryKey: ['registry', name, 'model'],
    queryFn: ({ signal }) => registryApi.getModel(name, signal),
  });
  const stale = () => [['registry', name], ['registry-list']];
  const [target, setTarget] = useState<Stage>('Production');
  const [archiveExisting, setArchiveExisting] = useState(false);
  const transition = useWrite(
    (v: { stage: Stage; archive: boolean }) =>
      registryApi.transitionStage(name, version, v.stage, v.archive),
    {
      invalidate: stale,
      success: (v) =>
        `v${version} moved to ${v.stage}${v.archive ? '; other versions there archived' : ''}.`,
    },
  );
  const saveDescription = useWrite(
    (description: string) => registryApi.updateVersionDescription(name, version, description),
    { invalidate: stale, success: () => 'Description saved.' },
  );
  const setTag = useWrite(
    (tag: KeyValue) => registryApi.setVersionTag(name, version, tag.key, tag.value),
    { invalidate: stale, success: (t) => `Tag ${t.key} set.` },
  );
  const deleteTag = useWrite((key: string) => registryApi.deleteVersionTag(name, version, key), {
    invalidate: stale,
    success: (key) => `Tag ${key} deleted.`,
  });
  const runId = modelVersion.data?.model_version.run_id;
  const experimentOfRun = useRunExperiments([runId]);

  if (modelVersion.isPending) return <Loading what="the model version" />;
  if (modelVersion.error) {
    return <ErrorView error={modelVersion.error} what={`version ${version} of ${name}`} />;
  }
  const mv = modelVersion.data.model_version;
  const stage = stageOf(mv);
  const lineage = lineageOfVersion(mv.tags);
  const runExperiment = runId ? experimentOfRun.get(runId) : undefined;
  const submitTransition = (event: FormEvent) => {
    event.preventDefault();
    transition.run({ stage: target, archive: target !== 'Archived' && archiveExisting });
  };

  return (
    <section aria-labelledby="version-title">
      <p className="crumbs">
        <Link to="/models">Registered models</Link> / <Link to={modelPath(name)}>{name}</Link> /
      </p>
      <h1 id="version-title">
        {name} v{mv.version} <span className={`badge stage-${stage.toLowerCase()}`}>{stage}</span>
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{mv.status ?? '—'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(mv.creation_timestamp)}</dd>
        <dt>Last update</dt>
        <dd>{formatTime(mv.last_updated_timestamp)}</dd>
        <dt>Registered by</dt>
        <dd>{mv.user_id || '—'}</dd>
        <dt>Source</dt>
        <dd className="mono wrap">{mv.source || '—'}</dd>
        <dt>Source run</dt>
        <dd>
          {runId && runExperiment ? (
            <Link to={runPath(runExperiment, runId)} className="mono">
              {runId}
            </Link>
          ) : (
            <span className="mono">{runId || '—'}</span>
          )}
        </dd>
      </dl>

      <div className="grid-2">
        <div className="card">
          <h2>Stage</h2>
          <form className="stack" onSubmit={submitTransition} aria-label="Change the stage">
            <p>
              Current stage: <strong>{stage}</strong>
            </p>
            <div className="toolbar">
              <label>
                Transition to
                <select value={target} onChange={(e) => setTarget(e.target.value as Stage)}>
                  {STAGES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={archiveExisting}
                  disabled={target === 'Archived' || target === 'None'}
                  onChange={(e) => setArchiveExisting(e.target.checked)}
                />
                Archive existing versions in {target}
              </label>
              <button
                type="submit"
                className="primary"
                disabled={transition.pending || target === stage}
              >
                {transition.pending ? 'Moving…' : `Move to ${target}`}
              </button>
            </div>
          </form>
          <WriteOutcome writes={[transition]} />
        </div>
        <div className="card">
          <h2>Aliases</h2>
          <p className="muted">
            An alias names one version: setting one that another version holds moves it here.
          </p>
          <AliasForm
            name={name}
            aliases={model.data?.registered_model.aliases}
            fixedVersion={version}
          />
        </div>
      </div>

      {lineage && (
        <div className="card">
          <h2>FLOps lineage</h2>
          <dl className="facts">
            <dt>Project</dt>
            <dd>
              {lineage.experimentId ? (
                <Link to={projectPath(lineage.experimentId)}>{lineage.projectId}</Link>
              ) : (
                lineage.projectId
              )}
            </dd>
            <dt>Model from round</dt>
            <dd>
              {lineage.modelRound === null ? (
                '—'
              ) : lineage.experimentId ? (
                <Link to={roundPath(lineage.experimentId, lineage.modelRound)}>
                  round {lineage.modelRound}
                </Link>
              ) : (
                `round ${lineage.modelRound}`
              )}
            </dd>
            <dt>Best round</dt>
            <dd>
              {lineage.bestRound === null ? (
                'none (no round has the objective’s metrics)'
              ) : lineage.experimentId ? (
                <Link to={roundPath(lineage.experimentId, lineage.bestRound)}>
                  round {lineage.bestRound}
                </Link>
              ) : (
                `round ${lineage.bestRound}`
              )}
            </dd>
            <dt>Objective</dt>
            <dd className="mono">{lineage.objective || '—'}</dd>
          </dl>
          {lineage.bestRoundMetrics.length > 0 && (
            <table className="data" aria-label="Best round metrics">
              <thead>
                <tr>
                  <th scope="col">Best-round metric</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                </tr>
              </thead>
              <tbody>
                {lineage.bestRoundMetrics.map((m) => (
                  <tr key={m.key}>
                    <td className="mono">{m.key}</td>
                    <td className="num">{formatValue(m.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}

      <div className="grid-2">
        <div className="card">
          <DescriptionEditor
            description={mv.description}
            save={saveDescription}
            what={`v${version}`}
          />
        </div>
        <div className="card">
          <TagsEditor tags={mv.tags} set={setTag} remove={deleteTag} what={`v${version}`} />
        </div>
      </div>
      <div className="card">
        <VersionFiles name={name} version={version} source={mv.source} runId={runId} />
      </div>
    </section>
  );
}

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { KeyValue, ModelVersion } from '../../api/mlflow';
import { registryApi } from '../../api/registry';
import { Column, DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { DescriptionEditor, TagsEditor } from '../../components/RegistryEditors';
import { ConfirmButton, useWrite, WriteOutcome } from '../../components/Write';
import { formatTime } from '../../format/format';
import {
  aliasesByVersion,
  latestByStage,
  lineageOfVersion,
  stageOf,
} from '../../transforms/registry';
import { AliasForm } from './AliasForm';
import { modelPath, projectPath, roundPath, runPath, versionPath } from './paths';
import { useRunExperiments } from './useRunExperiments';

const VERSIONS_PAGE = 200;

export function ModelPage() {
  const name = useParams().name ?? '';
  const navigate = useNavigate();
  const model = useQuery({
    queryKey: ['registry', name, 'model'],
    queryFn: ({ signal }) => registryApi.getModel(name, signal),
  });
  const versions = useInfiniteQuery({
    queryKey: ['registry', name, 'versions'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      registryApi.searchVersions(
        name,
        { max_results: VERSIONS_PAGE, page_token: pageParam },
        signal,
      ),
    getNextPageParam: (last) => last.next_page_token,
  });
  const versionRows = useMemo(
    () =>
      versions.data?.pages.flatMap((p) => p.model_versions ?? []).filter((v) => v.name === name) ??
      [],
    [versions.data, name],
  );
  const runExperiments = useRunExperiments(versionRows.map((v) => v.run_id));

  const stale = () => [['registry', name], ['registry-list']];
  const saveDescription = useWrite(
    (description: string) => registryApi.updateModelDescription(name, description),
    { invalidate: stale, success: () => 'Description saved.' },
  );
  const setTag = useWrite((tag: KeyValue) => registryApi.setModelTag(name, tag.key, tag.value), {
    invalidate: stale,
    success: (t) => `Tag ${t.key} set.`,
  });
  const deleteTag = useWrite((key: string) => registryApi.deleteModelTag(name, key), {
    invalidate: stale,
    success: (key) => `Tag ${key} deleted.`,
  });
  const deleteModel = useWrite(() => registryApi.deleteModel(name), {
    invalidate: () => [['registry-list']],
    success: () => `Model ${name} deleted.`,
  });
  const rename = useWrite((newName: string) => registryApi.renameModel(name, newName), {
    invalidate: () => [['registry-list'], ['registry', name]],
    success: (newName) => `Renamed to ${newName}.`,
  });
  const [newName, setNewName] = useState('');

  if (model.isPending) return <Loading what="the model" />;
  if (model.error) return <ErrorView error={model.error} what={`model ${name}`} />;
  const registered = model.data.registered_model;
  const aliases = aliasesByVersion(registered.aliases);

  const columns: Column<ModelVersion>[] = [
    {
      id: 'version',
      header: 'Version',
      numeric: true,
      cell: (v) => <Link to={versionPath(name, v.version)}>v{v.version}</Link>,
    },
    {
      id: 'stage',
      header: 'Stage',
      cell: (v) => <span className={`badge stage-${stageOf(v).toLowerCase()}`}>{stageOf(v)}</span>,
    },
    {
      id: 'aliases',
      header: 'Aliases',
      cell: (v) => (aliases.get(v.version) ?? []).map((a) => `@${a}`).join(' ') || '—',
    },
    { id: 'created', header: 'Created', cell: (v) => formatTime(v.creation_timestamp) },
    {
      id: 'run',
      header: 'Source run',
      cell: (v) => {
        if (!v.run_id) return <span className="muted">—</span>;
        const experimentId = runExperiments.get(v.run_id);
        return experimentId ? (
          <Link to={runPath(experimentId, v.run_id)} className="mono">
            {v.run_id.slice(0, 8)}
          </Link>
        ) : (
          <span className="mono muted">{v.run_id.slice(0, 8)}</span>
        );
      },
    },
    {
      id: 'flops',
      header: 'FLOps project / round',
      cell: (v) => {
        const lineage = lineageOfVersion(v.tags);
        if (!lineage) return <span className="muted">—</span>;
        if (!lineage.experimentId) return lineage.projectId;
        return (
          <span>
            <Link to={projectPath(lineage.experimentId)}>{lineage.projectId}</Link>
            {lineage.modelRound !== null && (
              <>
                {' / '}
                <Link to={roundPath(lineage.experimentId, lineage.modelRound)}>
                  round {lineage.modelRound}
                </Link>
              </>
            )}
          </span>
        );
      },
    },
  ];

  const submitRename = (event: FormEvent) => {
    event.preventDefault();
    const target = newName.trim();
    rename.run(target, () => void navigate(modelPath(target), { replace: true }));
  };

  return (
    <section aria-labelledby="model-title">
      <p className="crumbs">
        <Link to="/models">Registered models</Link> /
      </p>
      <h1 id="model-title">{registered.name}</h1>
      <p className="muted">
        Created {formatTime(registered.creation_timestamp)} · last update{' '}
        {formatTime(registered.last_updated_timestamp)} ·{' '}
        {latestByStage(registered.latest_versions ?? [])
          .map(({ stage, version }) => `${stage} v${version.version}`)
          .join(' · ') || 'no versions'}
      </p>
      <div className="grid-2">
        <div className="card">
          <DescriptionEditor
            description={registered.description}
            save={saveDescription}
            what={registered.name}
          />
        </div>
        <div className="card">
          <h2>Aliases</h2>
          <AliasForm
            name={name}
            aliases={registered.aliases}
            versions={versionRows.map((v) => v.version)}
          />
        </div>
      </div>
      <h2>Versions</h2>
      {versions.isPending && <Loading what="versions" />}
      {versions.error && <ErrorView error={versions.error} what="versions" />}
      {versions.data && (
        <DataTable
          label={`Versions of ${registered.name}`}
          rows={versionRows}
          columns={columns}
          rowKey={(v) => v.version}
          empty="No versions yet."
          onEndReached={() =>
            versions.hasNextPage && !versions.isFetchingNextPage && void versions.fetchNextPage()
          }
        />
      )}
      <div className="card">
        <TagsEditor tags={registered.tags} set={setTag} remove={deleteTag} what={registered.name} />
      </div>
      <div className="card danger-zone">
        <h2>Rename or delete</h2>
        <form className="toolbar" onSubmit={submitRename}>
          <label>
            New name
            <input required value={newName} onChange={(e) => setNewName(e.target.value)} />
          </label>
          <button type="submit" disabled={rename.pending || !newName.trim()}>
            {rename.pending ? 'Renaming…' : 'Rename model'}
          </button>
        </form>
        <ConfirmButton
          label="Delete model"
          question={`Delete ${registered.name} and all its versions? This cannot be undone.`}
          disabled={deleteModel.pending}
          onConfirm={() =>
            deleteModel.run(undefined, () => void navigate('/models', { replace: true }))
          }
        />
        <WriteOutcome writes={[rename, deleteModel]} />
      </div>
    </section>
  );
}

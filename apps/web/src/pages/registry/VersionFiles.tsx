import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';

import { mlflowApi } from '../../api/mlflow';
import { registryApi } from '../../api/registry';
import { Column, DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { formatBytes } from '../../format/format';
import { artifactPathInRun } from '../../transforms/registry';

interface FileRow {
  /** Relative to the version's root (what model-versions/get-artifact takes). */
  path: string;
  isDir: boolean;
  size?: number | string;
}

/**
 * The version's files, listed through its source run's artifacts (the registry has no listing
 * call) and downloaded through the registry's own get-artifact route. The folder shown is in
 * the query string (`files=`).
 */
export function VersionFiles(props: {
  name: string;
  version: string;
  source: string | undefined;
  runId: string | undefined;
}) {
  const [params, setParams] = useSearchParams();
  const folder = params.get('files') ?? '';
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const uri = useQuery({
    queryKey: ['registry', props.name, 'version', props.version, 'download-uri'],
    queryFn: ({ signal }) => registryApi.downloadUri(props.name, props.version, signal),
  });
  const run = useQuery({
    queryKey: ['run', props.runId],
    enabled: !!props.runId,
    queryFn: ({ signal }) => mlflowApi.getRun(props.runId ?? '', signal),
    retry: false,
  });
  const base = props.runId
    ? artifactPathInRun(props.source, props.runId, run.data?.run.info.artifact_uri)
    : null;
  const listPath = base === null ? null : [base, folder].filter(Boolean).join('/');
  const files = useQuery({
    queryKey: ['run-artifacts', props.runId, listPath],
    enabled: listPath !== null,
    queryFn: ({ signal }) => mlflowApi.listArtifacts(props.runId ?? '', listPath ?? '', signal),
  });
  const rows: FileRow[] = (files.data?.files ?? []).map((f) => ({
    path: base ? f.path.slice(base.length + 1) : f.path,
    isDir: f.is_dir,
    size: f.file_size,
  }));
  const open = (path: string) => {
    const next = new URLSearchParams(params);
    if (path) next.set('files', path);
    else next.delete('files');
    setParams(next);
  };
  const download = async (path: string) => {
    setDownloadError(null);
    setDownloading(path);
    try {
      const blob = await registryApi.downloadFile(props.name, props.version, path);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = path.split('/').pop() ?? 'file';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setDownloadError(e instanceof Error ? e.message : String(e));
    } finally {
      setDownloading(null);
    }
  };
  const columns: Column<FileRow>[] = [
    {
      id: 'path',
      header: 'Path',
      cell: (f) =>
        f.isDir ? (
          <button type="button" className="link" onClick={() => open(f.path)}>
            📁 {f.path.split('/').pop()}/
          </button>
        ) : (
          <span className="mono">{f.path.split('/').pop()}</span>
        ),
    },
    {
      id: 'size',
      header: 'Size',
      numeric: true,
      cell: (f) => (f.isDir ? '' : formatBytes(f.size)),
    },
    {
      id: 'download',
      header: 'Download',
      cell: (f) =>
        f.isDir ? null : (
          <button
            type="button"
            disabled={downloading === f.path}
            aria-label={`Download ${f.path}`}
            onClick={() => void download(f.path)}
          >
            {downloading === f.path ? 'Downloading…' : 'Download'}
          </button>
        ),
    },
  ];
  const crumbs = folder ? folder.split('/') : [];
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      <p>
        Storage location:{' '}
        <span className="mono">{uri.data?.artifact_uri ?? props.source ?? '—'}</span>
      </p>
      {props.runId && run.error && (
        <p className="muted">
          The source run cannot be read, so the files cannot be listed here; the source URI is
          above.
        </p>
      )}
      {!props.runId && <p className="muted">No source run: the files are not listed here.</p>}
      {run.data && base === null && (
        <p className="muted">The source is outside its run's artifacts: only its URI is shown.</p>
      )}
      {listPath !== null && (
        <>
          <nav aria-label="Folder" className="crumbs">
            <button type="button" className="link" onClick={() => open('')}>
              (root)
            </button>
            {crumbs.map((part, i) => (
              <span key={i}>
                {' / '}
                <button
                  type="button"
                  className="link"
                  onClick={() => open(crumbs.slice(0, i + 1).join('/'))}
                >
                  {part}
                </button>
              </span>
            ))}
          </nav>
          {files.isPending && <Loading what="files" />}
          {files.error && <ErrorView error={files.error} what="files" />}
          {files.data && (
            <DataTable
              label={`Files of version ${props.version}`}
              rows={rows}
              columns={columns}
              rowKey={(f) => f.path}
              empty="This folder is empty."
            />
          )}
        </>
      )}
      {downloadError && (
        <p role="alert" className="error-text">
          Download failed: {downloadError}
        </p>
      )}
    </section>
  );
}

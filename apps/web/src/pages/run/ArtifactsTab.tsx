import { useQueries, useQuery } from '@tanstack/react-query';
import { KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

import { send, toNumber } from '../../api/client';
import { FileInfo, mlflowApi, Run } from '../../api/mlflow';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { formatBytes } from '../../format/format';
import {
  ArtifactEntry,
  imageType,
  normalizeArtifactPath,
  parentFolders,
  previewKind,
  proxyDownloadPath,
  visibleTreeRows,
} from '../../transforms/artifacts';
import { parseCsv } from '../../transforms/csv';

/** A preview reads at most this much of a file. */
const PREVIEW_BYTES = 1024 * 1024;
const CSV_ROWS = 500;

const toEntry = (file: FileInfo): ArtifactEntry => ({
  path: file.path,
  isDir: file.is_dir,
  size: file.file_size === undefined ? undefined : toNumber(file.file_size),
});

/** The first PREVIEW_BYTES of a response, stopping the stream there (the proxy has no Range). */
async function readHead(response: Response): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(), truncated: false };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total >= PREVIEW_BYTES) {
      truncated = total > PREVIEW_BYTES || !(await reader.read()).done;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(total, PREVIEW_BYTES));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, truncated };
}

async function download(url: string, name: string) {
  const blob = await (await send('GET', url)).blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(href), 0);
}

function Preview({ url, path }: { url: string; path: string }) {
  const kind = previewKind(path);
  const head = useQuery({
    queryKey: ['artifact-head', url],
    enabled: kind !== 'none',
    queryFn: async () => readHead(await send('GET', url)),
    staleTime: 60_000,
  });
  const [imageUrl, setImageUrl] = useState<string>();
  useEffect(() => {
    const type = imageType(path);
    if (kind !== 'image' || !head.data || head.data.truncated || !type) return;
    const href = URL.createObjectURL(new Blob([head.data.bytes as BlobPart], { type }));
    setImageUrl(href);
    return () => URL.revokeObjectURL(href);
  }, [kind, path, head.data]);
  if (kind === 'none') return <p className="muted">No preview for this kind of file.</p>;
  if (head.error) return <ErrorView error={head.error} what="the preview" />;
  if (head.isPending) return <Loading what="the preview" />;
  const { bytes, truncated } = head.data;
  const note = truncated ? (
    <p className="muted">
      Preview of the first {formatBytes(PREVIEW_BYTES)} only; download for all of it.
    </p>
  ) : null;
  if (kind === 'image') {
    if (truncated) {
      return (
        <p className="muted">
          Image larger than {formatBytes(PREVIEW_BYTES)}: download it to view.
        </p>
      );
    }
    return imageUrl ? <img className="artifact-image" src={imageUrl} alt={path} /> : null;
  }
  const text = new TextDecoder().decode(bytes);
  if (kind === 'json' && !truncated) {
    let pretty: string | undefined;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      pretty = undefined;
    }
    return (
      <>
        {pretty === undefined && <p className="muted">Not valid JSON; shown as text.</p>}
        <pre className="artifact-text">{pretty ?? text}</pre>
      </>
    );
  }
  if (kind === 'csv') {
    const rows = parseCsv(text, CSV_ROWS + 1);
    const [header = [], ...body] = rows;
    return (
      <>
        {note}
        {rows.length > CSV_ROWS && <p className="muted">First {CSV_ROWS} rows.</p>}
        <div className="scroll-box" style={{ maxHeight: 480 }}>
          <table className="data" aria-label={`${path} contents`}>
            <thead>
              <tr>
                {header.map((cell, i) => (
                  <th key={i} scope="col">
                    {cell}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.slice(0, CSV_ROWS).map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    );
  }
  return (
    <>
      {note}
      <pre className="artifact-text">{text}</pre>
    </>
  );
}

export function ArtifactsTab({ run }: { run: Run }) {
  const runId = run.info.run_id;
  const [params, setParams] = useSearchParams();
  const selected = normalizeArtifactPath(params.get('path'));
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(
    () => new Set(selected ? parentFolders(selected) : []),
  );
  const folders = useMemo(() => ['', ...[...expanded]], [expanded]);
  const listings = useQueries({
    queries: folders.map((folder) => ({
      queryKey: ['artifacts', runId, folder],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        mlflowApi.listArtifacts(runId, folder || undefined, signal),
    })),
  });
  const children = new Map<string, ArtifactEntry[]>();
  listings.forEach((listing, i) => {
    if (listing.data) children.set(folders[i], (listing.data.files ?? []).map(toEntry));
  });
  const rows = visibleTreeRows(children, expanded);
  const rootError = listings[0]?.error;

  const select = (path: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', 'artifacts');
    next.set('path', path);
    setParams(next);
  };
  const toggleFolder = (path: string) =>
    setExpanded((prior) => {
      const next = new Set(prior);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  const onKey = (event: KeyboardEvent<HTMLButtonElement>, row: (typeof rows)[number]) => {
    if (!row.isDir) return;
    if (
      (event.key === 'ArrowRight' && !row.expanded) ||
      (event.key === 'ArrowLeft' && row.expanded)
    ) {
      event.preventDefault();
      toggleFolder(row.path);
    }
  };

  if (rootError) return <ErrorView error={rootError} what="the artifacts" />;
  if (listings[0]?.isPending) return <Loading what="the artifacts" />;
  if (rows.length === 0) return <p className="muted">This run has no artifacts.</p>;
  const selectedRow = rows.find((r) => r.path === selected);
  const url =
    selected && run.info.artifact_uri
      ? proxyDownloadPath(run.info.artifact_uri, selected)
      : undefined;
  return (
    <div className="artifacts">
      <ul role="tree" aria-label="Artifacts" className="artifact-tree">
        {rows.map((row) => (
          <li
            key={row.path}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-expanded={row.isDir ? row.expanded : undefined}
            aria-selected={row.path === selected}
            style={{ paddingLeft: `${row.depth * 1.2}rem` }}
          >
            <button
              type="button"
              className="tree-button"
              onClick={() => (row.isDir ? toggleFolder(row.path) : select(row.path))}
              onKeyDown={(event) => onKey(event, row)}
            >
              {row.isDir ? (row.expanded ? '▾ ' : '▸ ') : ''}
              {row.name}
            </button>
            {!row.isDir && row.size !== undefined && (
              <span className="muted"> {formatBytes(row.size)}</span>
            )}
          </li>
        ))}
      </ul>
      <div className="artifact-view">
        {selected && selectedRow && !selectedRow.isDir ? (
          <>
            <h2>{selected}</h2>
            <p>
              {selectedRow.size !== undefined && (
                <span className="muted">{formatBytes(selectedRow.size)} </span>
              )}
              {url ? (
                <button type="button" onClick={() => void download(url, selectedRow.name)}>
                  Download
                </button>
              ) : (
                <span className="muted">Not served by the artifact proxy: no download.</span>
              )}
            </p>
            {url && <Preview url={url} path={selected} />}
          </>
        ) : (
          <p className="muted">Select a file to preview it.</p>
        )}
      </div>
    </div>
  );
}

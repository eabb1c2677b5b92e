import { useInfiniteQuery } from '@tanstack/react-query';
import { FormEvent, useMemo, useState } from 'react';

import { accessApi, AUDIT_RESOURCE_TYPES, AuditEvent } from '../../api/access';
import { Column, DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { formatTime } from '../../format/format';

const PAGE = 200;

/** The audit log, newest first, filtered by resource type and id (both in the URL). */
export function AuditLog(props: {
  resourceType: string;
  resourceId: string;
  onFilter: (type: string, id: string) => void;
}) {
  const [type, setType] = useState(props.resourceType);
  const [id, setId] = useState(props.resourceId);
  const events = useInfiniteQuery({
    queryKey: ['access', 'audit', props.resourceType, props.resourceId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      accessApi.searchAudit(
        {
          resource_type: props.resourceType || undefined,
          resource_id: props.resourceId || undefined,
          max_results: PAGE,
          page_token: pageParam,
        },
        signal,
      ),
    getNextPageParam: (last) => last.next_page_token,
  });
  const rows = useMemo(
    () => events.data?.pages.flatMap((p) => p.events ?? []) ?? [],
    [events.data],
  );
  const columns: Column<AuditEvent>[] = [
    { id: 'time', header: 'Time', cell: (e) => formatTime(e.time) },
    { id: 'user', header: 'User', cell: (e) => e.username },
    { id: 'action', header: 'Action', cell: (e) => <span className="mono">{e.action}</span> },
    { id: 'type', header: 'Resource type', cell: (e) => e.resource_type },
    {
      id: 'resource',
      header: 'Resource',
      cell: (e) => <span className="mono">{e.resource_id}</span>,
    },
    {
      id: 'client',
      header: 'Client address',
      cell: (e) => <span className="mono">{e.client_address}</span>,
    },
    { id: 'detail', header: 'Detail', cell: (e) => <span className="mono">{e.detail ?? ''}</span> },
  ];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onFilter(type, id.trim());
  };
  return (
    <div>
      <form className="toolbar" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Resource type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">any</option>
            {AUDIT_RESOURCE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Resource id
          <input
            value={id}
            placeholder="experiment id, model name, username, token id"
            onChange={(e) => setId(e.target.value)}
          />
        </label>
        <button type="submit">Filter</button>
        {events.data && (
          <span className="muted" role="status">
            {rows.length}
            {events.hasNextPage ? '+' : ''} events
          </span>
        )}
      </form>
      {events.isPending && <Loading what="the audit log" />}
      {events.error && <ErrorView error={events.error} what="the audit log" />}
      {events.data && (
        <DataTable
          label="Audit log"
          rows={rows}
          columns={columns}
          rowKey={(e) => String(e.id)}
          empty="No events match."
          onEndReached={() =>
            events.hasNextPage && !events.isFetchingNextPage && void events.fetchNextPage()
          }
        />
      )}
    </div>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { ReactNode, useRef } from 'react';

export interface Column<T> {
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
  /** Present: the header is a sort button. */
  sort?: 'asc' | 'desc' | 'none';
  onSort?: () => void;
  cellClass?: (row: T) => string | undefined;
}

interface DataTableProps<T> {
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  rowClass?: (row: T) => string | undefined;
  /** Height of the scroll box; rows beyond it are not in the DOM (virtualised). */
  height?: number;
  empty?: ReactNode;
  /** Called when the last rows come into view (to fetch the next page). */
  onEndReached?: () => void;
}

const ROW_HEIGHT = 33;

/**
 * A table whose body renders only the rows in view (TanStack Virtual), so 10,000 runs scroll as
 * smoothly as 10: spacer rows above and below stand for the rest, keeping real <table> markup
 * for screen readers and sticky headers.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, columns } = props;
  const box = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => box.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  if (props.onEndReached && last && last.index >= rows.length - 5) {
    queueMicrotask(props.onEndReached);
  }
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (last?.end ?? 0);
  const height = props.height ?? Math.min(640, ROW_HEIGHT * (rows.length + 1) + 4);
  return (
    <div className="scroll-box" ref={box} style={{ maxHeight: height }}>
      <table className="data" aria-label={props.label} aria-rowcount={rows.length + 1}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                className={c.numeric ? 'num' : undefined}
                aria-sort={
                  c.sort === 'asc' ? 'ascending' : c.sort === 'desc' ? 'descending' : undefined
                }
              >
                {c.onSort ? (
                  <button type="button" className="th-sort" onClick={c.onSort}>
                    {c.header}
                    {c.sort === 'asc' ? ' ▲' : c.sort === 'desc' ? ' ▼' : ''}
                  </button>
                ) : (
                  c.header
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="muted">
                {props.empty ?? 'Nothing here yet.'}
              </td>
            </tr>
          )}
          {top > 0 && (
            <tr aria-hidden="true" style={{ height: top }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <tr
                key={props.rowKey(row)}
                className={props.rowClass?.(row)}
                aria-rowindex={item.index + 2}
                style={{ height: ROW_HEIGHT }}
              >
                {columns.map((c) => (
                  <td
                    key={c.id}
                    className={
                      [c.numeric ? 'num' : '', c.cellClass?.(row) ?? ''].join(' ').trim() ||
                      undefined
                    }
                  >
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

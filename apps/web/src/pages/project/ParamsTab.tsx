import { useMemo } from 'react';
import { Link } from 'react-router';

import { type FlopsRound } from '../../api/flops';
import { diffMatrix } from '../../transforms/compare';

/** The rounds' strategy params: key → value, keys whose value changes listed per round. */
export function ParamsTab({
  experimentId,
  rounds,
}: {
  experimentId: string;
  rounds: readonly FlopsRound[];
}) {
  const rows = useMemo(
    () => diffMatrix(rounds.map((r) => new Map(r.params.map((p) => [p.key, p.value])))),
    [rounds],
  );
  if (rows.length === 0) return <p className="muted">No params were logged.</p>;
  return (
    <table className="data" aria-label="Params">
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row" className="mono">
              {row.key}
            </th>
            {row.differs ? (
              <td className="diff">
                <span className="muted">differs across rounds:</span>
                <ul className="per-round">
                  {rounds.map((r, i) => (
                    <li key={r.run_id}>
                      <Link to={`/projects/${encodeURIComponent(experimentId)}/rounds/${r.round}`}>
                        round {r.round}
                      </Link>
                      : <span className="mono">{row.cells[i] ?? '(not set)'}</span>
                    </li>
                  ))}
                </ul>
              </td>
            ) : (
              <td className="mono">{row.cells[0]}</td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

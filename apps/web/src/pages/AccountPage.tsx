import { useQuery } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';

import { accessApi, ApiToken } from '../api/access';
import { useSession } from '../auth/useSession';
import { Column, DataTable } from '../components/DataTable';
import { ErrorView } from '../components/ErrorView';
import { Loading } from '../components/Loading';
import { ConfirmButton, useWrite, WriteOutcome } from '../components/Write';
import { formatTime } from '../format/format';

const TOKENS = ['access', 'tokens'];
const EXPIRIES = [
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: '90 days', seconds: 90 * 86_400 },
  { label: '1 year', seconds: 365 * 86_400 },
  { label: 'never', seconds: 0 },
];

/** The caller's API tokens; a new token's secret is shown once, here, and kept nowhere. */
export function AccountPage() {
  const session = useSession();
  const tokens = useQuery({
    queryKey: TOKENS,
    queryFn: ({ signal }) => accessApi.listTokens(signal),
  });
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState(String(EXPIRIES[2].seconds));
  const [experimentId, setExperimentId] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const create = useWrite(
    async (v: { name: string; seconds: number; experimentId: string }) => {
      const created = await accessApi.createToken({
        name: v.name,
        expires_in_seconds: v.seconds || undefined,
        experiment_id: v.experimentId || undefined,
      });
      setCopied(null);
      setSecret({ name: created.token.name, secret: created.secret });
    },
    { invalidate: () => [TOKENS], success: (v) => `Token ${v.name} created.` },
  );
  const revoke = useWrite((t: ApiToken) => accessApi.revokeToken(t.id), {
    invalidate: () => [TOKENS],
    success: (t) => `Token ${t.name} revoked.`,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.run(
      { name: name.trim(), seconds: Number(expiry), experimentId: experimentId.trim() },
      () => {
        setName('');
        setExperimentId('');
      },
    );
  };
  const copy = () =>
    void navigator.clipboard
      .writeText(secret?.secret ?? '')
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  const columns: Column<ApiToken>[] = [
    { id: 'name', header: 'Name', cell: (t) => t.name },
    {
      id: 'scope',
      header: 'Scope',
      cell: (t) => (t.experiment_id ? `experiment ${t.experiment_id}` : 'all you can access'),
    },
    { id: 'created', header: 'Created', cell: (t) => formatTime(t.creation_time) },
    {
      id: 'expires',
      header: 'Expires',
      cell: (t) => (t.expiration_time ? formatTime(t.expiration_time) : 'never'),
    },
    { id: 'used', header: 'Last used', cell: (t) => formatTime(t.last_used_time) },
    {
      id: 'state',
      header: 'State',
      cell: (t) =>
        t.revoked_time ? (
          <span className="badge danger">revoked {formatTime(t.revoked_time)}</span>
        ) : t.expiration_time && t.expiration_time <= Date.now() ? (
          <span className="badge warn">expired</span>
        ) : (
          <span className="badge ok">active</span>
        ),
    },
    {
      id: 'revoke',
      header: 'Actions',
      cell: (t) =>
        t.revoked_time ? null : (
          <ConfirmButton
            label={`Revoke ${t.name}`}
            confirmLabel="Revoke"
            question={
              t.id === session?.tokenId
                ? 'This is the token of this sign-in: revoking it signs you out. Revoke?'
                : 'Programs using it stop working. Revoke?'
            }
            disabled={revoke.pending}
            onConfirm={() => revoke.run(t)}
          />
        ),
    },
  ];
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">My tokens{session ? ` (${session.username})` : ''}</h1>
      <p className="muted">
        API tokens let MLflow clients and aggregators act as you: set{' '}
        <span className="mono">MLFLOW_TRACKING_TOKEN</span> to the secret.
      </p>
      {secret && (
        <div className="card secret" role="region" aria-label="New token secret">
          <p>
            <strong>Secret of {secret.name}</strong>: copy it now, it is not shown again.
          </p>
          <p className="row">
            <code className="mono secret-text" aria-label="Token secret">
              {secret.secret}
            </code>
            <button type="button" onClick={copy}>
              Copy
            </button>
            <button type="button" onClick={() => setSecret(null)}>
              Done
            </button>
          </p>
          {copied === true && (
            <p role="status" className="ok-text">
              Copied.
            </p>
          )}
          {copied === false && (
            <p role="alert" className="error-text">
              The browser refused the clipboard: select the secret and copy it.
            </p>
          )}
        </div>
      )}
      <form className="toolbar card" onSubmit={submit} aria-label="Create a token">
        <label>
          Token name
          <input
            required
            maxLength={255}
            value={name}
            placeholder="aggregator of project 1"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label>
          Expires after
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRIES.map((x) => (
              <option key={x.label} value={x.seconds}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Only experiment (optional)
          <input
            value={experimentId}
            inputMode="numeric"
            onChange={(e) => setExperimentId(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <WriteOutcome writes={[create, revoke]} />
      <h2>Tokens</h2>
      {tokens.isPending && <Loading what="tokens" />}
      {tokens.error && <ErrorView error={tokens.error} what="tokens" />}
      {tokens.data && (
        <DataTable
          label="API tokens"
          rows={tokens.data.tokens ?? []}
          columns={columns}
          rowKey={(t) => String(t.id)}
          empty="No tokens."
        />
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { accessApi, Permission, PERMISSIONS } from '../../api/access';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { ConfirmButton, useWrite, WriteOutcome } from '../../components/Write';
import { modelPath } from '../registry/paths';

type Kind = 'experiment' | 'model';

interface Grant {
  kind: Kind;
  /** Experiment id or registered model name. */
  resource: string;
  permission: Permission;
}

function PermissionSelect(props: {
  value: Permission;
  label: string;
  disabled?: boolean;
  onChange: (p: Permission) => void;
}) {
  return (
    <select
      aria-label={props.label}
      value={props.value}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.value as Permission)}
    >
      {PERMISSIONS.map((p) => (
        <option key={p} value={p}>
          {p}
        </option>
      ))}
    </select>
  );
}

/** One user's experiment and registered-model permissions: list, grant, change, revoke. */
export function UserPermissions({ username }: { username: string }) {
  const user = useQuery({
    queryKey: ['access', 'user', username],
    queryFn: ({ signal }) => accessApi.getUser(username, signal),
  });
  const [kind, setKind] = useState<Kind>('experiment');
  const [resource, setResource] = useState('');
  const [permission, setPermission] = useState<Permission>('READ');
  const stale = () => [['access', 'user', username]];
  const what = (g: Grant) =>
    g.kind === 'experiment' ? `experiment ${g.resource}` : `model ${g.resource}`;
  const grant = useWrite(
    (g: Grant) =>
      g.kind === 'experiment'
        ? accessApi.grantExperiment(g.resource, username, g.permission)
        : accessApi.grantModel(g.resource, username, g.permission),
    { invalidate: stale, success: (g) => `${username} has ${g.permission} on ${what(g)}.` },
  );
  const change = useWrite(
    (g: Grant) =>
      g.kind === 'experiment'
        ? accessApi.updateExperiment(g.resource, username, g.permission)
        : accessApi.updateModel(g.resource, username, g.permission),
    { invalidate: stale, success: (g) => `${username} now has ${g.permission} on ${what(g)}.` },
  );
  const revoke = useWrite(
    (g: Grant) =>
      g.kind === 'experiment'
        ? accessApi.revokeExperiment(g.resource, username)
        : accessApi.revokeModel(g.resource, username),
    { invalidate: stale, success: (g) => `Permission on ${what(g)} revoked.` },
  );
  if (user.isPending) return <Loading what={`the permissions of ${username}`} />;
  if (user.error) return <ErrorView error={user.error} what={`user ${username}`} />;
  const grants: Grant[] = [
    ...user.data.user.experiment_permissions.map((p) => ({
      kind: 'experiment' as const,
      resource: p.experiment_id,
      permission: p.permission,
    })),
    ...user.data.user.registered_model_permissions.map((p) => ({
      kind: 'model' as const,
      resource: p.name,
      permission: p.permission,
    })),
  ];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    grant.run({ kind, resource: resource.trim(), permission }, () => setResource(''));
  };
  return (
    <div className="card">
      <h2>Permissions of {username}</h2>
      {user.data.user.is_admin && (
        <p className="muted">An administrator may do everything, whatever is listed here.</p>
      )}
      <div className="scroll-box">
        <table className="data" aria-label={`Permissions of ${username}`}>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Resource</th>
              <th scope="col">Permission</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {grants.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No permissions granted.
                </td>
              </tr>
            )}
            {grants.map((g) => (
              <tr key={`${g.kind}:${g.resource}`}>
                <td>{g.kind === 'experiment' ? 'Experiment' : 'Registered model'}</td>
                <td>
                  {g.kind === 'experiment' ? (
                    <Link to={`/experiments/${encodeURIComponent(g.resource)}`}>{g.resource}</Link>
                  ) : (
                    <Link to={modelPath(g.resource)}>{g.resource}</Link>
                  )}
                </td>
                <td>
                  <PermissionSelect
                    label={`Permission on ${what(g)}`}
                    value={g.permission}
                    disabled={change.pending}
                    onChange={(p) => change.run({ ...g, permission: p })}
                  />
                </td>
                <td>
                  <ConfirmButton
                    label={`Revoke ${what(g)}`}
                    confirmLabel="Revoke"
                    question={`Revoke ${username}'s permission on ${what(g)}?`}
                    disabled={revoke.pending}
                    onConfirm={() => revoke.run(g)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="toolbar" onSubmit={submit} aria-label={`Grant ${username} a permission`}>
        <label>
          On
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="experiment">Experiment</option>
            <option value="model">Registered model</option>
          </select>
        </label>
        <label>
          {kind === 'experiment' ? 'Experiment id' : 'Model name'}
          <input required value={resource} onChange={(e) => setResource(e.target.value)} />
        </label>
        <label>
          Permission
          <PermissionSelect
            label="Permission to grant"
            value={permission}
            onChange={setPermission}
          />
        </label>
        <button type="submit" className="primary" disabled={grant.pending}>
          {grant.pending ? 'Granting…' : 'Grant'}
        </button>
      </form>
      <WriteOutcome writes={[grant, change, revoke]} />
    </div>
  );
}

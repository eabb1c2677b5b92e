import { useQuery } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';

import { accessApi, UserSummary } from '../../api/access';
import { Column, DataTable } from '../../components/DataTable';
import { ErrorView } from '../../components/ErrorView';
import { Loading } from '../../components/Loading';
import { ConfirmButton, useWrite, WriteOutcome } from '../../components/Write';

const USERS = ['access', 'users'];

export function Users(props: {
  selected: string;
  onSelect: (username: string) => void;
  self: string;
}) {
  const users = useQuery({ queryKey: USERS, queryFn: ({ signal }) => accessApi.listUsers(signal) });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [resetFor, setResetFor] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const stale = () => [USERS, ['access', 'user']];
  const create = useWrite(
    (v: { username: string; password: string }) => accessApi.createUser(v.username, v.password),
    { invalidate: stale, success: (v) => `User ${v.username} created.` },
  );
  const setAdmin = useWrite(
    (v: { username: string; isAdmin: boolean }) => accessApi.updateAdmin(v.username, v.isAdmin),
    {
      invalidate: stale,
      success: (v) => `${v.username} is ${v.isAdmin ? 'now' : 'no longer'} an administrator.`,
    },
  );
  const remove = useWrite((name: string) => accessApi.deleteUser(name), {
    invalidate: stale,
    success: (name) => `User ${name} deleted.`,
  });
  const reset = useWrite(
    (v: { username: string; password: string }) => accessApi.updatePassword(v.username, v.password),
    { invalidate: () => [], success: (v) => `Password of ${v.username} changed.` },
  );
  const submitCreate = (event: FormEvent) => {
    event.preventDefault();
    create.run({ username: username.trim(), password }, () => {
      setUsername('');
      setPassword('');
    });
  };
  const submitReset = (event: FormEvent) => {
    event.preventDefault();
    if (!resetFor) return;
    reset.run({ username: resetFor, password: newPassword }, () => {
      setResetFor(null);
      setNewPassword('');
    });
  };
  const columns: Column<UserSummary>[] = [
    {
      id: 'username',
      header: 'Username',
      cell: (u) => (
        <button
          type="button"
          className="link"
          aria-pressed={props.selected === u.username}
          onClick={() => props.onSelect(u.username)}
        >
          {u.username}
        </button>
      ),
    },
    {
      id: 'admin',
      header: 'Administrator',
      cell: (u) => (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={u.is_admin}
            disabled={setAdmin.pending}
            onChange={(e) => setAdmin.run({ username: u.username, isAdmin: e.target.checked })}
          />
          <span className="visually-hidden">{u.username} is an administrator</span>
        </label>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: (u) => (
        <span className="row">
          <button type="button" onClick={() => setResetFor(u.username)}>
            Reset password
          </button>
          <ConfirmButton
            label={`Delete user ${u.username}`}
            confirmLabel="Delete"
            question={`Delete ${u.username}, their permissions and tokens?`}
            disabled={remove.pending || u.username === props.self}
            onConfirm={() => remove.run(u.username)}
          />
        </span>
      ),
    },
  ];
  return (
    <div>
      <h2>Users</h2>
      {users.isPending && <Loading what="users" />}
      {users.error && <ErrorView error={users.error} what="users" />}
      {users.data && (
        <DataTable
          label="Users"
          rows={users.data.users ?? []}
          columns={columns}
          rowKey={(u) => u.username}
          rowClass={(u) => (u.username === props.selected ? 'selected' : undefined)}
        />
      )}
      <WriteOutcome writes={[setAdmin, remove, reset, create]} />
      {resetFor && (
        <form
          className="toolbar card"
          onSubmit={submitReset}
          aria-label={`Reset password of ${resetFor}`}
        >
          <label>
            New password for {resetFor}
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={reset.pending}>
            {reset.pending ? 'Saving…' : 'Set password'}
          </button>
          <button type="button" onClick={() => setResetFor(null)}>
            Cancel
          </button>
        </form>
      )}
      <form className="toolbar card" onSubmit={submitCreate} aria-label="Create a user">
        <label>
          New username
          <input required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password (12+ characters)
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create user'}
        </button>
      </form>
    </div>
  );
}

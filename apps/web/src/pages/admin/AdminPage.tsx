import { useSearchParams } from 'react-router';

import { useSession } from '../../auth/useSession';
import { AuditLog } from './AuditLog';
import { UserPermissions } from './UserPermissions';
import { Users } from './Users';

const TABS = [
  { id: 'users', label: 'Users and permissions' },
  { id: 'audit', label: 'Audit log' },
] as const;

/** Admins only: the server refuses the calls to anyone else; this page says so first. */
export function AdminPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'audit' ? 'audit' : 'users';
  const selected = params.get('user') ?? '';
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  if (!session?.isAdmin) {
    return (
      <section aria-labelledby="admin-title">
        <h1 id="admin-title">Administration</h1>
        <p role="alert" className="error-text">
          Only administrators can manage users, permissions and the audit log.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <div className="tabs" role="tablist" aria-label="Administration">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            onClick={() => update({ tab: t.id === 'users' ? '' : t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'users' ? (
        <div role="tabpanel" aria-label="Users and permissions" className="admin-users">
          <Users
            selected={selected}
            onSelect={(username) => update({ user: username })}
            self={session.username}
          />
          {selected && <UserPermissions username={selected} />}
        </div>
      ) : (
        <div role="tabpanel" aria-label="Audit log">
          <AuditLog
            resourceType={params.get('type') ?? ''}
            resourceId={params.get('id') ?? ''}
            onFilter={(type, id) => update({ type, id })}
          />
        </div>
      )}
    </section>
  );
}

import { FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { registryApi } from '../../api/registry';
import { ConfirmButton, useWrite, WriteOutcome } from '../../components/Write';
import { planAliasChange } from '../../transforms/registry';
import { versionPath } from './paths';

/**
 * A model's aliases with delete, and a form that sets one. With `fixedVersion` (a version's page)
 * only that version's aliases are listed and set; otherwise the form picks the version.
 */
export function AliasForm(props: {
  name: string;
  aliases: readonly { alias: string; version: string }[] | undefined;
  versions?: readonly string[];
  fixedVersion?: string;
}) {
  const { name } = props;
  const [alias, setAlias] = useState('');
  const [picked, setPicked] = useState('');
  const version = props.fixedVersion ?? (picked || props.versions?.[0] || '');
  const stale = () => [['registry', name], ['registry-list']];
  const setWrite = useWrite(
    (v: { alias: string; version: string }) => registryApi.setAlias(name, v.alias, v.version),
    { invalidate: stale, success: (v) => `@${v.alias} now points to v${v.version}.` },
  );
  const deleteWrite = useWrite((a: string) => registryApi.deleteAlias(name, a), {
    invalidate: stale,
    success: (a) => `Alias @${a} deleted.`,
  });
  const shown = (props.aliases ?? []).filter(
    (a) => props.fixedVersion === undefined || a.version === props.fixedVersion,
  );
  const plan = version ? planAliasChange(props.aliases, alias, version) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!plan || plan.kind === 'invalid') return;
    setWrite.run({ alias: alias.trim(), version }, () => setAlias(''));
  };
  return (
    <div>
      {shown.length === 0 ? (
        <p className="muted">No aliases.</p>
      ) : (
        <ul className="plain-list" aria-label="Aliases">
          {shown.map((a) => (
            <li key={a.alias}>
              <span className="badge">@{a.alias}</span>
              {props.fixedVersion === undefined && (
                <>
                  {' → '}
                  <Link to={versionPath(name, a.version)}>v{a.version}</Link>
                </>
              )}{' '}
              <ConfirmButton
                label={`Delete alias ${a.alias}`}
                confirmLabel="Delete"
                question={`Delete @${a.alias}?`}
                disabled={deleteWrite.pending}
                onConfirm={() => deleteWrite.run(a.alias)}
              />
            </li>
          ))}
        </ul>
      )}
      <form className="toolbar" onSubmit={submit} aria-label="Set an alias">
        <label>
          Alias
          <input value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="champion" />
        </label>
        {props.fixedVersion === undefined && (
          <label>
            On version
            <select value={version} onChange={(e) => setPicked(e.target.value)}>
              {(props.versions ?? []).map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="submit"
          disabled={
            setWrite.pending ||
            !version ||
            !plan ||
            plan.kind === 'invalid' ||
            plan.kind === 'unchanged'
          }
        >
          {setWrite.pending ? 'Setting…' : plan?.kind === 'move' ? 'Move alias' : 'Set alias'}
        </button>
      </form>
      {alias.trim() && plan?.kind === 'move' && (
        <p className="warn-text" role="note">
          @{alias.trim()} is on v{plan.from} now: setting it moves it from v{plan.from} to v
          {version}.
        </p>
      )}
      {alias.trim() && plan?.kind === 'invalid' && <p className="error-text">{plan.reason}</p>}
      {alias.trim() && plan?.kind === 'unchanged' && (
        <p className="muted">
          v{version} already has @{alias.trim()}.
        </p>
      )}
      <WriteOutcome writes={[setWrite, deleteWrite]} />
    </div>
  );
}

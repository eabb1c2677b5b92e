import { FormEvent, useState } from 'react';

import { KeyValue } from '../api/mlflow';
import { ConfirmButton, Write, WriteOutcome } from './Write';

/** A description as plain text (never HTML), with an inline editor. */
export function DescriptionEditor(props: {
  description: string | undefined;
  save: Write<string>;
  what: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const editing = draft !== null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    props.save.run(draft, () => setDraft(null));
  };
  return (
    <section aria-label={`Description of ${props.what}`}>
      <h2>Description</h2>
      {editing ? (
        <form onSubmit={submit} className="stack">
          <label>
            Description
            <textarea rows={5} value={draft} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={props.save.pending}>
              {props.save.pending ? 'Saving…' : 'Save description'}
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {props.description ? (
            <p className="description">{props.description}</p>
          ) : (
            <p className="muted">No description.</p>
          )}
          <button type="button" onClick={() => setDraft(props.description ?? '')}>
            Edit description
          </button>
        </>
      )}
      <WriteOutcome writes={[props.save]} />
    </section>
  );
}

/** Tags as a table with delete, and a form that sets one (an existing key is overwritten). */
export function TagsEditor(props: {
  tags: readonly KeyValue[] | undefined;
  set: Write<KeyValue>;
  remove: Write<string>;
  what: string;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const tags = [...(props.tags ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.set.run({ key: key.trim(), value }, () => {
      setKey('');
      setValue('');
    });
  };
  return (
    <section aria-label={`Tags of ${props.what}`}>
      <h2>Tags</h2>
      {tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <div className="scroll-box">
          <table className="data" aria-label={`Tags of ${props.what}`}>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tags.map((t) => (
                <tr key={t.key}>
                  <td className="mono">{t.key}</td>
                  <td className="wrap">{t.value}</td>
                  <td>
                    <ConfirmButton
                      label={`Delete tag ${t.key}`}
                      confirmLabel="Delete"
                      question={`Delete tag ${t.key}?`}
                      disabled={props.remove.pending}
                      onConfirm={() => props.remove.run(t.key)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="toolbar" onSubmit={submit} aria-label={`Set a tag of ${props.what}`}>
        <label>
          Tag key
          <input required value={key} onChange={(e) => setKey(e.target.value)} />
        </label>
        <label>
          Tag value
          <input value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" disabled={props.set.pending || !key.trim()}>
          {props.set.pending ? 'Setting…' : 'Set tag'}
        </button>
      </form>
      <WriteOutcome writes={[props.set, props.remove]} />
    </section>
  );
}

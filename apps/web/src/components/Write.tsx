import { QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { ReactNode, useState } from 'react';

import { ApiError } from '../api/client';

export interface Outcome {
  ok: boolean;
  text: string;
}

export interface Write<V> {
  /** `then` runs after this call succeeds (closing the form that made it, say). */
  run: (variables: V, then?: () => void) => void;
  pending: boolean;
  outcome: Outcome | null;
}

function failureText(error: unknown): string {
  if (error instanceof ApiError) return `${error.errorCode}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A write to the server: pending while it runs (its button is disabled), the queries it makes
 * stale refetched, and its outcome in words (the server's MLflow error message on failure).
 */
export function useWrite<V>(
  call: (variables: V) => Promise<unknown>,
  options: {
    invalidate: (variables: V) => QueryKey[];
    success: (variables: V) => string;
  },
): Write<V> {
  const client = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const mutation = useMutation({
    mutationFn: call,
    onMutate: () => setOutcome(null),
    onSuccess: async (_data, variables) => {
      setOutcome({ ok: true, text: options.success(variables) });
      await Promise.all(
        options.invalidate(variables).map((queryKey) => client.invalidateQueries({ queryKey })),
      );
    },
    onError: (error) => setOutcome({ ok: false, text: failureText(error) }),
  });
  return {
    run: (v, then) => mutation.mutate(v, then ? { onSuccess: () => then() } : undefined),
    pending: mutation.isPending,
    outcome,
  };
}

/** The outcome of the last write(s) next to their controls, announced to screen readers. */
export function WriteOutcome({ writes }: { writes: readonly Write<never>[] }) {
  const shown = writes.map((w) => w.outcome).filter((o): o is Outcome => o !== null);
  if (shown.length === 0) return null;
  return (
    <>
      {shown.map((o, i) =>
        o.ok ? (
          <p key={i} role="status" className="ok-text">
            {o.text}
          </p>
        ) : (
          <p key={i} role="alert" className="error-text">
            {o.text}
          </p>
        ),
      )}
    </>
  );
}

/**
 * A destructive action in two steps: the button asks, then Confirm / Cancel appear in its place
 * (keyboard usable, unlike a blocking dialog in a test browser).
 */
export function ConfirmButton(props: {
  label: string;
  question: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="danger"
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={`Confirm: ${props.label}`}>
      <span>{props.question}</span>{' '}
      <button
        type="button"
        className="danger"
        disabled={props.disabled}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel ?? `Yes, ${props.label.toLowerCase()}`}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)} autoFocus>
        Cancel
      </button>
    </span>
  );
}

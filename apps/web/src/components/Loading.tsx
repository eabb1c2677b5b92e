export function Loading({ what }: { what?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading{what ? ` ${what}` : ''}…
    </p>
  );
}

/** Backend stores every integration/e2e suite runs against (E2E_BACKENDS=sqlite,mysql by default). */
export type Backend = 'sqlite' | 'mysql';

export const BACKENDS: Backend[] = (process.env.E2E_BACKENDS ?? 'sqlite,mysql')
  .split(',')
  .map((b) => b.trim())
  .filter((b): b is Backend => b === 'sqlite' || b === 'mysql');

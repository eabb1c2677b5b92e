import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Figures go to stdout as `name value unit`, one per line, and nothing else does: progress and
 * diagnostics go to stderr, so `npm run bench > figures.txt` is machine-readable.
 */
export class Report {
  private readonly failures: string[] = [];
  readonly figures = new Map<string, number>();

  constructor(private readonly copyTo?: string) {
    if (copyTo) mkdirSync(dirname(copyTo), { recursive: true });
  }

  figure(name: string, value: number, unit: string): void {
    this.figures.set(name, value);
    this.emit(`${name} ${formatNumber(value)} ${unit}`);
  }

  skipped(name: string, reason: string): void {
    this.emit(`${name} skipped - # ${reason}`);
  }

  fail(message: string): void {
    this.failures.push(message);
    log(`VERIFICATION FAILED: ${message}`);
  }

  /** Checks one expectation; records a failure (and returns false) when it does not hold. */
  check(condition: boolean, message: string): boolean {
    if (!condition) this.fail(message);
    return condition;
  }

  get failed(): readonly string[] {
    return this.failures;
  }

  private emit(line: string): void {
    process.stdout.write(`${line}\n`);
    if (this.copyTo) appendFileSync(this.copyTo, `${line}\n`);
  }
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

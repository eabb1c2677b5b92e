import { toNumber } from '../api/client';

/** Numbers as people compare them: up to 6 significant digits, NaN and ±∞ spelled out. */
export function formatValue(value: unknown): string {
  const n = toNumber(value);
  if (Number.isNaN(n)) return typeof value === 'string' && value !== 'NaN' ? value : 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e12) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return n.toExponential(4);
  return Number(n.toPrecision(6)).toString();
}

export function formatTime(ms: unknown): string {
  const n = toNumber(ms);
  if (!Number.isFinite(n) || n <= 0) return '—';
  return new Date(n).toLocaleString('sv-SE', { hour12: false });
}

export function formatDuration(ms: unknown): string {
  const n = toNumber(ms);
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return `${Math.round(n)} ms`;
  const s = n / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatBytes(size: unknown): string {
  const n = toNumber(size);
  if (!Number.isFinite(n)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

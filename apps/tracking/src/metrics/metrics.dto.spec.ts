import { MetricHistoryPage } from '@app/domain';

import { toMetricJson } from '../runs/run-json';
import { toMetricHistoryResponseJson } from './metrics.dto';

/** What the controller answered before the body was written by hand: the DTO, JSON.stringify'd. */
function stringified(page: MetricHistoryPage, token?: string): string {
  const metrics = Array.from(page.values, (value, i) =>
    toMetricJson({ key: page.key, value, timestamp: page.timestamps[i], step: page.steps[i] }),
  );
  const body: Record<string, unknown> = {};
  if (metrics.length > 0) body.metrics = metrics;
  if (token) body.next_page_token = token;
  return JSON.stringify(body);
}

function page(key: string, points: [number, number, number][]): MetricHistoryPage {
  return {
    key,
    timestamps: Float64Array.from(points, (p) => p[0]),
    steps: Float64Array.from(points, (p) => p[1]),
    values: Float64Array.from(points, (p) => p[2]),
  };
}

describe('toMetricHistoryResponseJson', () => {
  const awkward: [number, number, number][] = [
    [1732600000000, 0, 0.1 + 0.2],
    [0, -3, -0],
    [-1, 1, NaN],
    [2 ** 53 - 1, 2 ** 53 - 1, Infinity],
    [2 ** 60, -(2 ** 60), -Infinity],
    [9, 10, 1.7976931348623157e308],
    [99, 100, -1.7976931348623157e308],
    [1e21, 1e15, 5e-324],
    [123456789, 7, 1e21],
    [1, 2, 1e-7],
    [3, 4, -42],
    [5, 6, 123456789012345680000],
    [7, 8, 990.5011037662389],
    [2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1],
    [999999999999999, 1000000000, 999999999],
    [8999999999999999, 1e9 * 8999999 - 1, -(1e9 * 12345 + 7)],
  ];

  it.each([
    ['an ASCII key', 'loss', undefined],
    [
      'a key needing escapes and UTF-8',
      'gpu:0/temp "°C"\\\n\u2028\ud800',
      'eyJ0aW1lc3RhbXAiOiAxfQ==',
    ],
  ])('writes what JSON.stringify writes, with %s', (_, key, token) => {
    const points = page(key, awkward);
    expect(toMetricHistoryResponseJson(points, token).toString('utf8')).toBe(
      stringified(points, token),
    );
  });

  it('answers {} without points, and only the token when there is one', () => {
    expect(toMetricHistoryResponseJson(page('k', [])).toString()).toBe('{}');
    expect(toMetricHistoryResponseJson(page('k', []), 'abc=').toString()).toBe(
      '{"next_page_token":"abc="}',
    );
  });

  it('grows past its first estimate (long pages, long keys)', () => {
    const points = page(
      'k'.repeat(250),
      Array.from({ length: 3000 }, (_, i): [number, number, number] => [
        -1e15 - i,
        -i,
        -Math.PI * 1e-300 * i,
      ]),
    );
    expect(toMetricHistoryResponseJson(points).toString()).toBe(stringified(points));
  });
});

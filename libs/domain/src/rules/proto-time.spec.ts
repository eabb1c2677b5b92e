import { MlflowError } from '../errors';
import {
  formatProtoDuration,
  formatProtoTimestamp,
  parseProtoDuration,
  parseProtoTimestamp,
} from './proto-time';

describe('protobuf Timestamp and Duration JSON', () => {
  it('reads RFC 3339 timestamps with any fraction and offset', () => {
    expect(parseProtoTimestamp('2024-12-02T00:40:00Z', 't')).toBe(Date.UTC(2024, 11, 2, 0, 40));
    expect(parseProtoTimestamp('2024-12-02T00:40:00.123456789Z', 't')).toBe(
      Date.UTC(2024, 11, 2, 0, 40, 0, 123),
    );
    expect(parseProtoTimestamp('2024-12-02T02:40:00.5+02:00', 't')).toBe(
      Date.UTC(2024, 11, 2, 0, 40, 0, 500),
    );
  });

  it('writes UTC with fractional digits only when needed', () => {
    expect(formatProtoTimestamp(Date.UTC(2024, 11, 2, 0, 40))).toBe('2024-12-02T00:40:00Z');
    expect(formatProtoTimestamp(Date.UTC(2024, 11, 2, 0, 40, 0, 7))).toBe(
      '2024-12-02T00:40:00.007Z',
    );
  });

  it('reads and writes durations in seconds', () => {
    expect(parseProtoDuration('1.5s', 'd')).toBe(1500);
    expect(parseProtoDuration('0.000999s', 'd')).toBe(0);
    expect(parseProtoDuration('12s', 'd')).toBe(12000);
    expect(formatProtoDuration(1500)).toBe('1.500s');
    expect(formatProtoDuration(2000)).toBe('2s');
    expect(formatProtoDuration(-250)).toBe('-0.250s');
  });

  it('refuses anything else as INVALID_PARAMETER_VALUE', () => {
    for (const [parse, value] of [
      [parseProtoTimestamp, 'yesterday'],
      [parseProtoTimestamp, '2024-13-45T00:00:00Z'],
      [parseProtoDuration, '5 minutes'],
      [parseProtoDuration, '-1s'],
    ] as const) {
      expect(() => parse(value, 'f')).toThrow(MlflowError);
    }
  });
});

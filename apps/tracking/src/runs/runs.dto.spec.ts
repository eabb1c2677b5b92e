import 'reflect-metadata';

import { MlflowError } from '@app/domain';
import { MlflowValidationPipe } from '@app/http';

import { fromMetricDto, LogMetricRequestDto, readLogMetricRequest } from './runs.dto';

const RUN_ID = '0123456789abcdef0123456789abcdef';

/** What the validation pipe makes of a log-metric body: the handler's arguments, or the error. */
async function viaPipe(body: Record<string, unknown>): Promise<unknown> {
  try {
    const dto = (await new MlflowValidationPipe().transform(body, {
      type: 'custom',
      metatype: LogMetricRequestDto,
    })) as LogMetricRequestDto;
    return { runId: dto.run_id, metric: fromMetricDto(dto) };
  } catch (error) {
    return errorOf(error);
  }
}

function viaReader(body: Record<string, unknown>): unknown {
  try {
    return readLogMetricRequest(body);
  } catch (error) {
    return errorOf(error);
  }
}

function errorOf(error: unknown): unknown {
  if (!(error instanceof MlflowError)) throw error;
  return { code: error.code, message: error.message };
}

const ok = { run_id: RUN_ID, key: 'loss', value: 0.5, timestamp: 1732600000000, step: 3 };

const BODIES: Record<string, unknown>[] = [
  ok,
  { ...ok, run_id: undefined, run_uuid: RUN_ID },
  { ...ok, run_id: '', run_uuid: RUN_ID },
  { ...ok, run_id: null, run_uuid: RUN_ID },
  { ...ok, run_id: 'a', run_uuid: RUN_ID },
  { ...ok, run_id: [RUN_ID] },
  { ...ok, run_id: [] },
  { ...ok, run_id: [''] },
  { ...ok, run_id: [null] },
  { ...ok, run_id: 5 },
  { ...ok, run_id: { a: 1 } },
  { key: 'k', value: 1, timestamp: 1 },
  { ...ok, key: '' },
  { ...ok, key: undefined },
  { ...ok, key: 7 },
  { ...ok, key: ['k', 'j'] },
  { ...ok, value: undefined },
  { ...ok, value: null },
  { ...ok, value: '' },
  { ...ok, value: ' ' },
  { ...ok, value: '0.25' },
  { ...ok, value: '1e3' },
  { ...ok, value: 'abc' },
  { ...ok, value: true },
  { ...ok, value: 'NaN' },
  { ...ok, value: 'Infinity' },
  { ...ok, value: '-Infinity' },
  { ...ok, value: 'nan' },
  { ...ok, value: [2] },
  { ...ok, value: [] },
  { ...ok, value: { v: 1 } },
  { ...ok, timestamp: undefined },
  { ...ok, timestamp: '' },
  { ...ok, timestamp: '1732600000000' },
  { ...ok, timestamp: ' 12 ' },
  { ...ok, timestamp: '1.5' },
  { ...ok, timestamp: 1.5 },
  { ...ok, timestamp: -1 },
  { ...ok, timestamp: false },
  { ...ok, step: undefined },
  { ...ok, step: null },
  { ...ok, step: '7' },
  { ...ok, step: '' },
  { ...ok, step: 'x' },
  { ...ok, step: [] },
  { ...ok, model_id: 'm-1', dataset_name: 'train', dataset_digest: 'abc' },
  { ...ok, model_id: '', dataset_name: '', dataset_digest: '' },
  { ...ok, model_id: 1 },
  { ...ok, dataset_name: false },
  { ...ok, dataset_digest: [3] },
  { ...ok, unknown_field: 'ignored' },
  { run_id: 1, key: 2, value: 'x', timestamp: 'y' },
  {},
];

describe('readLogMetricRequest', () => {
  it.each(BODIES.map((body) => [JSON.stringify(body), body]))(
    'reads %s exactly as the validation pipe reads LogMetricRequestDto',
    async (_name, body) => {
      expect(viaReader(body)).toEqual(await viaPipe(body));
    },
  );
});

import { MlflowError } from '../errors';
import {
  assertNoLearnerKeys,
  DEFAULT_LEARNER_KEY_PREFIXES,
  LearnerKeyRefusal,
  LearnerKeyRefusedError,
  learnerPrefixOf,
} from './learner-privacy';

const kv = (key: string) => ({ key, value: 'v' });

describe(learnerPrefixOf.name, () => {
  it.each([
    ['learner.3/loss', 'learner.'],
    ['learner/3/loss', 'learner/'],
    ['client.3/loss', 'client.'],
    ['client/berlin', 'client/'],
    ['site.a', 'site.'],
    ['site/a/accuracy', 'site/'],
  ])('matches %p under %p', (key, prefix) => {
    expect(learnerPrefixOf(DEFAULT_LEARNER_KEY_PREFIXES, key)).toBe(prefix);
  });

  it.each([
    'learners_count',
    'clientele',
    'client',
    'site',
    'sites/3',
    'system/cpu_utilization_percentage',
    'loss',
    'aggregator.client.3',
    'mlflow.runName',
    'mlflow.data.context',
  ])('lets %p through', (key) => {
    expect(learnerPrefixOf(DEFAULT_LEARNER_KEY_PREFIXES, key)).toBeUndefined();
  });

  it('ignores case on both sides and names the prefix as configured', () => {
    expect(learnerPrefixOf(DEFAULT_LEARNER_KEY_PREFIXES, 'Client.3/loss')).toBe('client.');
    expect(learnerPrefixOf(DEFAULT_LEARNER_KEY_PREFIXES, 'SITE/a')).toBe('site/');
    expect(learnerPrefixOf(['Worker-'], 'worker-7/loss')).toBe('Worker-');
  });

  it('never matches mlflow.* system tags, whatever is configured', () => {
    expect(learnerPrefixOf(['mlflow.'], 'mlflow.runName')).toBeUndefined();
    expect(learnerPrefixOf(['m'], 'MLflow.user')).toBeUndefined();
    expect(learnerPrefixOf(['m'], 'mlflow_like')).toBe('m');
  });

  it('matches nothing with no prefixes', () => {
    expect(learnerPrefixOf([], 'client.3/loss')).toBeUndefined();
  });
});

describe(assertNoLearnerKeys.name, () => {
  it('passes a write of aggregate keys', () => {
    expect(() =>
      assertNoLearnerKeys(DEFAULT_LEARNER_KEY_PREFIXES, {
        metrics: [kv('loss'), kv('system/cpu_utilization_percentage')],
        params: [kv('learners_count')],
        tags: [kv('mlflow.runName'), kv('clientele')],
        inputTags: [kv('mlflow.data.context')],
      }),
    ).not.toThrow();
  });

  it('refuses with INVALID_PARAMETER_VALUE naming the key, the prefix and the setting', () => {
    const error = catchError(() =>
      assertNoLearnerKeys(DEFAULT_LEARNER_KEY_PREFIXES, { metrics: [kv('client.3/loss')] }),
    );
    expect(error).toBeInstanceOf(MlflowError);
    expect(error).toBeInstanceOf(LearnerKeyRefusedError);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toBe(
      "Metric key 'client.3/loss' is refused: keys under 'client.' describe an individual learner, and this server keeps only aggregate FLOps data (LEARNER_KEY_PREFIXES).",
    );
  });

  it.each([
    [{ params: [kv('ok'), kv('site/a')] }, "Param key 'site/a'"],
    [{ tags: [kv('Learner.7')] }, "Tag key 'Learner.7'"],
    [{ inputTags: [kv('client/3')] }, "Dataset input tag key 'client/3'"],
  ])('names what the key is: %p', (write, start) => {
    expect(
      catchError(() => assertNoLearnerKeys(DEFAULT_LEARNER_KEY_PREFIXES, write)).message,
    ).toMatch(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is refused`));
  });

  it('tells the listener of the refusal before throwing, and only then', () => {
    const seen: LearnerKeyRefusal[] = [];
    const listen = (refusal: LearnerKeyRefusal) => seen.push(refusal);
    assertNoLearnerKeys(DEFAULT_LEARNER_KEY_PREFIXES, { tags: [kv('loss')] }, listen);
    expect(seen).toEqual([]);
    expect(() =>
      assertNoLearnerKeys(
        DEFAULT_LEARNER_KEY_PREFIXES,
        { metrics: [kv('loss')], tags: [kv('site.a'), kv('client.b')] },
        listen,
      ),
    ).toThrow(LearnerKeyRefusedError);
    expect(seen).toEqual([{ kind: 'tag', key: 'site.a', prefix: 'site.' }]);
  });

  it('is off with an empty prefix list, and follows a custom one', () => {
    expect(() => assertNoLearnerKeys([], { metrics: [kv('client.3/loss')] })).not.toThrow();
    expect(() =>
      assertNoLearnerKeys(['worker:'], { metrics: [kv('client.3/loss')] }),
    ).not.toThrow();
    expect(() => assertNoLearnerKeys(['worker:'], { params: [kv('Worker:2')] })).toThrow(
      /keys under 'worker:'/,
    );
  });
});

function catchError(fn: () => void): MlflowError {
  try {
    fn();
  } catch (error) {
    return error as MlflowError;
  }
  throw new Error('expected a refusal');
}

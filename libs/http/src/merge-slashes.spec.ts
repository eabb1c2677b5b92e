import { mergeRepeatedSlashes } from './http-app';

describe(mergeRepeatedSlashes.name, () => {
  it.each([
    [
      '/api/2.0/mlflow/experiments/get?experiment_id=0',
      '/api/2.0/mlflow/experiments/get?experiment_id=0',
    ],
    ['//model-versions/get-artifact?path=a//b', '/model-versions/get-artifact?path=a//b'],
    ['//api//2.0/mlflow///runs/get', '/api/2.0/mlflow/runs/get'],
    [
      '/api/2.0/mlflow-artifacts/artifacts//etc/passwd',
      '/api/2.0/mlflow-artifacts/artifacts//etc/passwd',
    ],
    ['//api/2.0//mlflow-artifacts/artifacts/1//r', '/api/2.0/mlflow-artifacts/artifacts/1//r'],
    [
      '/ajax-api/2.0/mlflow-artifacts/mpu//create//x',
      '/ajax-api/2.0/mlflow-artifacts/mpu/create//x',
    ],
    ['/a%2F%2Fb//c', '/a%2F%2Fb/c'],
  ])('%s → %s', (url, merged) => {
    expect(mergeRepeatedSlashes(url)).toBe(merged);
  });
});

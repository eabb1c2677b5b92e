import { AddressInfo } from 'node:net';

import MLflow from 'mlflow';
import { RunStatus, ViewType } from 'mlflow/enum';

import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Drives the suite with the npm package `mlflow` (a third-party Node client written for the 1.x
 * REST API) over a real socket, for every call that still exists in MLflow 2.x.
 */
describe.each(BACKENDS)('the npm `mlflow` client against the suite on %s', (backend) => {
  let t: TestApp;
  let client: MLflow;
  let log: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp(backend);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    client = new MLflow({ endpoint: `http://127.0.0.1:${port}` });
    // The client console.logs every request body.
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    log.mockRestore();
    await t.close();
  });

  it('runs a FLOps-style training round: experiment, run, params, metrics, tags, history, search', async () => {
    const { experiment_id } = await client.Experiments.create({
      name: 'FLOps Project npm',
      artifact_location: 'file:///tmp/ignored',
    });
    const { experiment } = await client.Experiments.get({ experiment_id });
    expect(experiment.name).toBe('FLOps Project npm');
    const listed = await client.Experiments.list({});
    expect(listed.experiments.map((e: { name: string }) => e.name)).toContain('FLOps Project npm');

    const start = Date.now();
    const { run } = await client.Runs.create({
      experiment_id,
      user_id: 'aggregator',
      start_time: start,
      tags: [{ key: 'mlflow.runName', value: 'FLOps FL round 1' }],
    });
    const runId = run.info.run_id;
    expect((run.info as unknown as { run_name: string }).run_name).toBe('FLOps FL round 1');
    expect(run.info.artifact_uri).toBe(
      `mlflow-artifacts:/${experiment_id}/${run.info.run_id}/artifacts`,
    );

    await client.Runs.logParameter({ run_id: runId, key: 'min_fit_clients', value: '2' });
    await client.Runs.logMetric({
      run_id: runId,
      key: 'loss',
      value: 0.9,
      timestamp: start,
      step: 0,
    });
    await client.Runs.logMetric({
      run_id: runId,
      key: 'loss',
      value: 0.5,
      timestamp: start + 1,
      step: 1,
    });
    await client.Runs.logBatch({
      run_id: runId,
      metrics: [{ key: 'accuracy', value: 0.8, timestamp: start + 2, step: 1 }],
      params: [{ key: 'fraction_fit', value: '1.0' }],
      tags: [{ key: 'site', value: 'edge-1' }],
    });
    await client.Runs.setTag({ run_id: runId, key: 'tmp', value: 'x' });
    await client.Runs.deleteTag({ run_id: runId, key: 'tmp' });
    await client.Runs.update({ run_id: runId, status: RunStatus.FINISHED, end_time: start + 10 });

    const { run: fetched } = await client.Runs.get({ run_id: runId });
    expect(fetched.info.status).toBe('FINISHED');
    expect(fetched.data.metrics).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'loss', value: 0.5, step: 1 })]),
    );
    expect(fetched.data.tags.map((tag: { key: string }) => tag.key)).not.toContain('tmp');

    const history = await client.Metrics.getHistory({ run_id: runId, metric_key: 'loss' });
    expect(history.metrics.map((m: { value: number }) => m.value)).toEqual([0.9, 0.5]);

    const found = await client.Runs.search({
      experiment_ids: [experiment_id],
      filter: "metrics.accuracy > 0.5 and params.fraction_fit = '1.0'",
      run_view_type: ViewType.ACTIVE_ONLY,
      max_results: 10,
    });
    expect(found.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);

    await client.Runs.delete({ run_id: runId });
    await client.Runs.restore({ run_id: runId });
    await client.Experiments.update({ experiment_id, new_name: 'FLOps Project npm renamed' });
    await client.Experiments.delete({ experiment_id });
    await client.Experiments.restore({ experiment_id });
  });

  it('gets MLflow errors as thrown errors carrying the status and error code', async () => {
    await expect(client.Runs.get({ run_id: '0123456789abcdef0123456789abcdef' })).rejects.toThrow(
      /"status":404.*RESOURCE_DOES_NOT_EXIST/,
    );
  });
});

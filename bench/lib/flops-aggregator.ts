/**
 * Replays what an unmodified FLOps aggregator sends to the tracking server for one project
 * (reference flops-oakestra.md §1.3 and §2.1), request by request, through the MLflow endpoints
 * and the artifact proxy, over any HTTP transport: the bench's undici client, or supertest in
 * the e2e suites (test/support/flops-aggregator.ts).
 */

/** One request and its answer; `body` is the parsed JSON answer (or its text). */
export interface AggregatorHttp {
  send(request: {
    method: 'GET' | 'POST' | 'PUT';
    path: string;
    query?: Record<string, string>;
    json?: unknown;
    raw?: Buffer;
  }): Promise<{ status: number; body: unknown }>;
}

/** The eight system metrics MLflow logs without a GPU (reference §1.3). */
export const SYSTEM_METRICS = [
  'system/cpu_utilization_percentage',
  'system/system_memory_usage_megabytes',
  'system/system_memory_usage_percentage',
  'system/disk_usage_percentage',
  'system/disk_usage_megabytes',
  'system/disk_available_megabytes',
  'system/network_receive_megabytes',
  'system/network_transmit_megabytes',
] as const;

/** The five Flower strategy params, as the aggregator logs them on every round. */
export const STRATEGY_PARAMS = [
  { key: 'min_available_clients', value: '2' },
  { key: 'min_evaluate_clients', value: '2' },
  { key: 'min_fit_clients', value: '2' },
  { key: 'fraction_evaluate', value: '1.0' },
  { key: 'fraction_fit', value: '1.0' },
] as const;

/** The sklearn model directory `log_model` uploads (reference §2.1: about five files). */
export const MODEL_FILES: Record<string, string> = {
  MLmodel:
    'artifact_path: logged_model_artifact\nflavors:\n  sklearn:\n    pickled_model: model.pkl\n',
  'model.pkl': 'not-really-a-pickle',
  'conda.yaml': 'name: mlflow-env\ndependencies: [python=3.10]\n',
  'python_env.yaml': 'python: 3.10.12\n',
  'requirements.txt': 'mlflow==2.14.3\nscikit-learn\n',
};

export interface RoundScore {
  loss: number;
  accuracy: number;
}

export interface AggregatorReplayOptions {
  /** The Oakestra application id (24 hex digits in FLOps). */
  projectId: string;
  /** One entry per round (or cycle in hierarchical mode), in order. */
  rounds: RoundScore[];
  /** System-metric samples per round (each a `runs/get` + a log-batch); 2 by default. */
  systemSamplesPerRound?: number;
  /** Skip the model upload of the last round (a project still training or that crashed). */
  skipModel?: boolean;
  /** Leave the last round RUNNING (an aggregator still in it). */
  leaveLastRunning?: boolean;
  /**
   * Hierarchical mode with cluster-level rounds logged as nested runs of each cycle (tags
   * `mlflow.parentRunId` and `flops.cycle`); an unmodified FLOps root aggregator logs only cycles.
   */
  clusterRoundsPerCycle?: number;
  /** Start of the first round, ms since the epoch; each round lasts 20 s. */
  startTime?: number;
  /** The run name of round `n`, if the deployment's pattern is not the reference one. */
  roundName?: (round: number) => string;
  /** The experiment name, if the deployment's pattern is not the reference one. */
  experimentName?: string;
}

export interface AggregatorReplay {
  experimentId: string;
  experimentName: string;
  /** Run ids of the rounds, round 1 first. */
  runIds: string[];
  /** The run carrying the model (the last round's), unless skipModel. */
  modelRunId: string | null;
  /** Nested cluster-level run ids per cycle (hierarchical mode). */
  clusterRunIds: string[][];
  /** Requests sent (for the bench). */
  requests: number;
  /** Metric points logged (for the bench's row ledger). */
  metricPoints: number;
}

const API = '/api/2.0/mlflow';
const ROUND_MS = 20_000;

/** Fails with the request, status and body when the server answers anything but `expected`. */
function check(what: string, response: { status: number; body: unknown }, expected = 200): void {
  if (response.status !== expected) {
    throw new Error(
      `${what}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
}

export async function replayAggregatorOver(
  http: AggregatorHttp,
  options: AggregatorReplayOptions,
): Promise<AggregatorReplay> {
  let requests = 0;
  let metricPoints = 0;
  const send = (request: Parameters<AggregatorHttp['send']>[0]) => {
    requests += 1;
    return http.send(request);
  };
  const post = (path: string, json: { metrics?: unknown[] } & Record<string, unknown>) => {
    metricPoints += json.metrics?.length ?? 0;
    return send({ method: 'POST', path: `${API}/${path}`, json });
  };
  const get = (path: string, query: Record<string, string>) =>
    send({ method: 'GET', path: `${API}/${path}`, query });

  const experimentName = options.experimentName ?? `FLOps Project ${options.projectId}`;
  const roundName = options.roundName ?? ((n: number) => `FLOps FL round ${n}`);
  const samples = options.systemSamplesPerRound ?? 2;
  const start = options.startTime ?? 1_733_200_000_000;

  // mlflow.set_experiment: get-by-name (404 the first time) → create → get.
  const missing = await get('experiments/get-by-name', { experiment_name: experimentName });
  check('experiments/get-by-name', missing, 404);
  const created = await post('experiments/create', { name: experimentName });
  check('experiments/create', created);
  const experimentId = (created.body as { experiment_id: string }).experiment_id;
  check('experiments/get', await get('experiments/get', { experiment_id: experimentId }));

  const runIds: string[] = [];
  const clusterRunIds: string[][] = [];
  let modelRunId: string | null = null;
  for (const [index, score] of options.rounds.entries()) {
    const round = index + 1;
    const roundStart = start + index * ROUND_MS;
    const last = round === options.rounds.length;
    const createdRun = await post('runs/create', {
      experiment_id: experimentId,
      run_name: roundName(round),
      start_time: roundStart,
      user_id: 'root',
      tags: [
        { key: 'mlflow.user', value: 'root' },
        { key: 'mlflow.source.name', value: '/app/main.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
        { key: 'mlflow.runName', value: roundName(round) },
      ],
    });
    check('runs/create', createdRun);
    const runId = (createdRun.body as { run: { info: { run_id: string } } }).run.info.run_id;
    runIds.push(runId);
    check(
      'runs/log-batch (params)',
      await post('runs/log-batch', { run_id: runId, params: STRATEGY_PARAMS }),
    );

    const systemBatch = (step: number) => ({
      run_id: runId,
      metrics: SYSTEM_METRICS.map((key, k) => ({
        key,
        value: 10 * (k + 1) + step + round,
        timestamp: roundStart + 1000 * (step + 1),
        step,
      })),
    });
    for (let step = 0; step < samples; step += 1) {
      check('runs/get (system metrics monitor)', await get('runs/get', { run_id: runId }));
      check('runs/log-batch (system metrics)', await post('runs/log-batch', systemBatch(step)));
    }

    const clusterRuns: string[] = [];
    for (let c = 1; c <= (options.clusterRoundsPerCycle ?? 0); c += 1) {
      const nested = await post('runs/create', {
        experiment_id: experimentId,
        run_name: roundName(c),
        start_time: roundStart + c,
        tags: [
          { key: 'mlflow.parentRunId', value: runId },
          { key: 'flops.cycle', value: String(round) },
        ],
      });
      check('runs/create (cluster round)', nested);
      const nestedId = (nested.body as { run: { info: { run_id: string } } }).run.info.run_id;
      check(
        'runs/log-batch (cluster round)',
        await post('runs/log-batch', {
          run_id: nestedId,
          metrics: [
            { key: 'loss', value: score.loss + 0.01 * c, timestamp: roundStart + c, step: 0 },
            {
              key: 'accuracy',
              value: score.accuracy - 0.01 * c,
              timestamp: roundStart + c,
              step: 0,
            },
          ],
        }),
      );
      check(
        'runs/update (cluster round)',
        await post('runs/update', {
          run_id: nestedId,
          status: 'FINISHED',
          end_time: roundStart + 10 * c,
        }),
      );
      clusterRuns.push(nestedId);
    }
    clusterRunIds.push(clusterRuns);

    // aggregate_evaluate: loss and accuracy with no step (0) and the current time.
    check(
      'runs/log-batch (loss, accuracy)',
      await post('runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'loss', value: score.loss, timestamp: roundStart + 15_000, step: 0 },
          { key: 'accuracy', value: score.accuracy, timestamp: roundStart + 15_000, step: 0 },
        ],
      }),
    );

    if (last && !options.skipModel) {
      const info = await get('runs/get', { run_id: runId });
      check('runs/get (artifact uri)', info);
      for (const [file, content] of Object.entries(MODEL_FILES)) {
        const put = await send({
          method: 'PUT',
          path: `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/logged_model_artifact/${file}`,
          raw: Buffer.from(content),
        });
        check(`PUT artifact ${file}`, put);
      }
      const modelJson = JSON.stringify({
        run_id: runId,
        artifact_path: 'logged_model_artifact',
        utc_time_created: '2024-12-03 14:00:00.000000',
        flavors: {
          python_function: { loader_module: 'mlflow.sklearn', env: { conda: 'conda.yaml' } },
          sklearn: { pickled_model: 'model.pkl', sklearn_version: '1.5.0' },
        },
        model_uuid: '0123456789abcdef0123456789abcdef',
        mlflow_version: '2.14.3',
      });
      check(
        'runs/log-model',
        await post('runs/log-model', { run_id: runId, model_json: modelJson }),
      );
      modelRunId = runId;
    }

    if (last && options.leaveLastRunning) break;
    check(
      'runs/update (FINISHED)',
      await post('runs/update', {
        run_id: runId,
        status: 'FINISHED',
        end_time: roundStart + ROUND_MS - 1000,
      }),
    );
    check(
      'runs/log-batch (final system flush)',
      await post('runs/log-batch', systemBatch(samples)),
    );
    check('runs/get (last_active_run)', await get('runs/get', { run_id: runId }));
    check('runs/get (last_active_run)', await get('runs/get', { run_id: runId }));
  }
  return {
    experimentId,
    experimentName,
    runIds,
    modelRunId,
    clusterRunIds,
    requests,
    metricPoints,
  };
}

import { ModelVersion } from '../entities';
import { MlflowError } from '../errors';
import { FlopsNaming } from './naming';
import { parseObjective } from './objective';
import { assembleProject } from './project-view';
import {
  defaultPromotionModelName,
  lineageOfTags,
  lineageTags,
  noTrainedModelError,
  promotedVersionsByExperiment,
  promotionIdentityTags,
  PromotionLineage,
  promotionLineageOf,
  registeredVersionOf,
  validatePromotionModelName,
} from './promotion';
import { FlopsExperimentRecord, FlopsRunRecord } from './records';

const EXPERIMENT: FlopsExperimentRecord = {
  experimentId: '7',
  name: 'FLOps Project 66f1e0c2a3b4c5d6e7f80912',
  lifecycleStage: 'active',
  creationTime: 1,
  lastUpdateTime: 1,
  tags: [],
};

const HISTORY = JSON.stringify([{ artifact_path: 'logged_model_artifact', flavors: {} }]);

function run(round: number, carriesModel = false): FlopsRunRecord {
  return {
    runId: `run${round}`,
    experimentId: '7',
    runName: `FLOps FL round ${round}`,
    status: 'FINISHED',
    startTime: round * 1000,
    endTime: round * 1000 + 500,
    artifactUri: `mlflow-artifacts:/7/run${round}/artifacts`,
    tags: carriesModel ? [{ key: 'mlflow.log-model.history', value: HISTORY }] : [],
    loggedModels: [],
  };
}

function metrics(round: number, loss: number, accuracy: number) {
  return [
    { runId: `run${round}`, key: 'loss', value: loss, timestamp: round, step: 0 },
    { runId: `run${round}`, key: 'accuracy', value: accuracy, timestamp: round, step: 0 },
  ];
}

function project(modelRound: number | null, experiment = EXPERIMENT) {
  const assembled = assembleProject(
    experiment,
    [1, 2, 3].map((r) => run(r, r === modelRound)),
    new FlopsNaming(),
    { metrics: [...metrics(1, 0.9, 0.6), ...metrics(2, 0.5, 0.85), ...metrics(3, 0.6, 0.8)] },
  );
  if (!assembled) throw new Error('not a project');
  return assembled;
}

function errorOf(fn: () => unknown): MlflowError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MlflowError) return error;
    throw error;
  }
  throw new Error('expected an MlflowError');
}

describe('FLOps promotion lineage', () => {
  it("takes the model's round and the best round with its metrics from the project", () => {
    expect(promotionLineageOf(project(3))).toEqual<PromotionLineage>({
      projectId: '66f1e0c2a3b4c5d6e7f80912',
      experimentId: '7',
      modelRound: 3,
      bestRound: 2,
      bestRoundMetrics: [
        { key: 'accuracy', value: 0.85 },
        { key: 'loss', value: 0.5 },
      ],
      objective: 'aggregator',
    });
  });

  it('has no lineage before a round carries the model', () => {
    expect(promotionLineageOf(project(null))).toBeNull();
  });

  it('writes the lineage as sorted version tags and reads the same lineage back', () => {
    const lineage = promotionLineageOf(project(3)) as PromotionLineage;
    const tags = lineageTags(lineage);
    expect(tags).toEqual([
      { key: 'flops.best_round', value: '2' },
      { key: 'flops.best_round.metric.accuracy', value: '0.85' },
      { key: 'flops.best_round.metric.loss', value: '0.5' },
      { key: 'flops.experiment_id', value: '7' },
      { key: 'flops.model_round', value: '3' },
      { key: 'flops.objective', value: 'aggregator' },
      { key: 'flops.project_id', value: '66f1e0c2a3b4c5d6e7f80912' },
    ]);
    expect(lineageOfTags([...tags, { key: 'other', value: 'x' }])).toEqual(lineage);
  });

  it('leaves the best round out when no round qualifies under the objective', () => {
    const byF1 = project(3, {
      ...EXPERIMENT,
      tags: [{ key: 'flops.objective', value: 'f1:max' }],
    });
    const lineage = promotionLineageOf(byF1) as PromotionLineage;
    expect(lineage).toMatchObject({ bestRound: null, bestRoundMetrics: [], objective: 'f1:max' });
    expect(parseObjective(lineage.objective)).toEqual(byF1.objective);
    expect(lineageTags(lineage).map((t) => t.key)).not.toContain('flops.best_round');
    expect(lineageOfTags(lineageTags(lineage))).toEqual(lineage);
  });

  it('identifies a promoted model by its project and the round carrying it, not the best round', () => {
    const lineage = promotionLineageOf(project(3)) as PromotionLineage;
    expect(promotionIdentityTags({ ...lineage, bestRound: 1 })).toEqual(
      promotionIdentityTags(lineage),
    );
    expect(promotionIdentityTags(lineage)).toEqual([
      { key: 'flops.project_id', value: '66f1e0c2a3b4c5d6e7f80912' },
      { key: 'flops.model_round', value: '3' },
    ]);
  });

  it('groups promoted versions by their project experiment, leaving out the others', () => {
    const lineage = promotionLineageOf(project(3)) as PromotionLineage;
    const version = (name: string, tags: { key: string; value: string }[]): ModelVersion => ({
      name,
      version: '1',
      creationTimestamp: 1,
      lastUpdatedTimestamp: 1,
      userId: null,
      currentStage: 'None',
      description: null,
      source: 's',
      storageLocation: 's',
      runId: 'run3',
      runLink: null,
      status: 'READY',
      statusMessage: null,
      tags,
      aliases: [],
      modelId: null,
    });
    const promoted = version('a', lineageTags(lineage));
    const other = version('b', lineageTags({ ...lineage, experimentId: '8' }));
    const grouped = promotedVersionsByExperiment([promoted, version('c', []), other]);
    expect([...grouped.keys()]).toEqual(['7', '8']);
    expect(grouped.get('7')).toEqual([{ version: promoted, lineage }]);
  });

  it("names the newest version promoted from the round that carries the project's model now", () => {
    const current = project(3);
    const lineage = promotionLineageOf(current) as PromotionLineage;
    const at = (name: string, created: number, modelRound: number) => ({
      version: {
        name,
        version: '1',
        creationTimestamp: created,
        lastUpdatedTimestamp: created,
        userId: null,
        currentStage: 'None' as const,
        description: null,
        source: 's',
        storageLocation: 's',
        runId: 'run3',
        runLink: null,
        status: 'READY' as const,
        statusMessage: null,
        tags: [],
        aliases: [],
        modelId: null,
      },
      lineage: { ...lineage, modelRound },
    });
    const older = at('older', 1, 3);
    const newer = at('newer', 2, 3);
    const earlierModel = at('earlier-model', 3, 2);
    expect(registeredVersionOf(current, [older, newer, earlierModel])?.name).toBe('newer');
    expect(registeredVersionOf(current, [earlierModel])).toBeNull();
    expect(registeredVersionOf(project(null), [newer])).toBeNull();
  });

  it('reads no lineage from a version that was not promoted', () => {
    expect(lineageOfTags([{ key: 'flops.project_id', value: 'p' }])).toBeNull();
    expect(lineageOfTags([{ key: 'flops.model_round', value: '3' }])).toBeNull();
  });

  it('names the registered model after the project, and refuses empty or over-long names', () => {
    expect(defaultPromotionModelName('66f1e0c2')).toBe('flops-66f1e0c2');
    expect(errorOf(() => defaultPromotionModelName('x'.repeat(300))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect(errorOf(() => validatePromotionModelName('')).code).toBe('INVALID_PARAMETER_VALUE');
    expect(errorOf(() => validatePromotionModelName('y'.repeat(300))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect(() => validatePromotionModelName('flops-mnist')).not.toThrow();
  });

  it('answers a project without a model with INVALID_STATE naming the artifact path', () => {
    const error = noTrainedModelError('p1');
    expect(error.code).toBe('INVALID_STATE');
    expect(error.message).toContain("'logged_model_artifact'");
  });
});

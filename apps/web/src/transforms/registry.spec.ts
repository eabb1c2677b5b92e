import {
  aliasesByVersion,
  artifactPathInRun,
  excerpt,
  latestByStage,
  lineageOfVersion,
  modelNameFilter,
  planAliasChange,
  stageOf,
  versionsOfModelFilter,
} from './registry';

describe('stageOf', () => {
  it('reads stages case-insensitively and treats unknown or missing ones as None', () => {
    expect(stageOf({ version: '1', current_stage: 'production' })).toBe('Production');
    expect(stageOf({ version: '1', current_stage: 'Staging' })).toBe('Staging');
    expect(stageOf({ version: '1', current_stage: 'Mystery' })).toBe('None');
    expect(stageOf({ version: '1' })).toBe('None');
  });
});

describe('latestByStage', () => {
  it('keeps the highest version number per stage, in stage order', () => {
    const versions = [
      { version: '9', current_stage: 'Archived' },
      { version: '10', current_stage: 'Production' },
      { version: '2', current_stage: 'Production' },
      { version: '3', current_stage: 'None' },
    ];
    expect(latestByStage(versions).map((e) => [e.stage, e.version.version])).toEqual([
      ['None', '3'],
      ['Production', '10'],
      ['Archived', '9'],
    ]);
  });

  it('is empty for a model without versions', () => {
    expect(latestByStage([])).toEqual([]);
  });
});

describe('aliasesByVersion', () => {
  it('groups aliases by version, sorted', () => {
    const map = aliasesByVersion([
      { alias: 'prod', version: '3' },
      { alias: 'champion', version: '3' },
      { alias: 'canary', version: '4' },
    ]);
    expect(map.get('3')).toEqual(['champion', 'prod']);
    expect(map.get('4')).toEqual(['canary']);
    expect(map.get('1')).toBeUndefined();
  });
});

describe('planAliasChange', () => {
  const aliases = [
    { alias: 'champion', version: '2' },
    { alias: 'canary', version: '3' },
  ];

  it('says an alias held by another version moves from it', () => {
    expect(planAliasChange(aliases, 'champion', '3')).toEqual({ kind: 'move', from: '2' });
  });

  it('tells a new alias from one the version already has', () => {
    expect(planAliasChange(aliases, 'challenger', '3')).toEqual({ kind: 'new' });
    expect(planAliasChange(aliases, ' canary ', '3')).toEqual({ kind: 'unchanged' });
  });

  it("refuses what MLflow refuses: empty, 'latest', v<number>", () => {
    expect(planAliasChange(aliases, '  ', '3').kind).toBe('invalid');
    expect(planAliasChange(aliases, 'Latest', '3').kind).toBe('invalid');
    expect(planAliasChange(aliases, 'V12', '3').kind).toBe('invalid');
    expect(planAliasChange(aliases, 'v1beta', '3')).toEqual({ kind: 'new' });
  });
});

describe('lineageOfVersion', () => {
  it('reads the flops.* tags a promotion writes, metrics sorted by key', () => {
    const lineage = lineageOfVersion([
      { key: 'flops.project_id', value: 'mnist-fedavg' },
      { key: 'flops.experiment_id', value: '7' },
      { key: 'flops.model_round', value: '5' },
      { key: 'flops.best_round', value: '4' },
      { key: 'flops.best_round.metric.loss', value: '0.12' },
      { key: 'flops.best_round.metric.accuracy', value: '0.97' },
      { key: 'flops.objective', value: 'accuracy:max' },
      { key: 'owner', value: 'ml-team' },
    ]);
    expect(lineage).toEqual({
      projectId: 'mnist-fedavg',
      experimentId: '7',
      modelRound: 5,
      bestRound: 4,
      bestRoundMetrics: [
        { key: 'accuracy', value: '0.97' },
        { key: 'loss', value: '0.12' },
      ],
      objective: 'accuracy:max',
    });
  });

  it('is null for a version not promoted from a project', () => {
    expect(lineageOfVersion([{ key: 'owner', value: 'x' }])).toBeNull();
    expect(lineageOfVersion(undefined)).toBeNull();
  });

  it('leaves rounds that are not whole numbers unknown', () => {
    const lineage = lineageOfVersion([
      { key: 'flops.project_id', value: 'p' },
      { key: 'flops.model_round', value: 'five' },
    ]);
    expect(lineage?.modelRound).toBeNull();
    expect(lineage?.bestRound).toBeNull();
    expect(lineage?.experimentId).toBe('');
  });
});

describe('artifactPathInRun', () => {
  const root = 'mlflow-artifacts:/7/abc123/artifacts';

  it('finds the path under the run artifact root', () => {
    expect(artifactPathInRun(`${root}/model`, 'abc123', root)).toBe('model');
    expect(artifactPathInRun(`${root}/a/b/`, 'abc123', `${root}/`)).toBe('a/b');
    expect(artifactPathInRun(root, 'abc123', root)).toBe('');
  });

  it('reads runs:/ URIs of the same run', () => {
    expect(artifactPathInRun('runs:/abc123/model', 'abc123', undefined)).toBe('model');
    expect(artifactPathInRun('runs:/other/model', 'abc123', root)).toBeNull();
  });

  it('refuses sources outside the run, sibling prefixes and dot segments', () => {
    expect(artifactPathInRun('s3://bucket/model', 'abc123', root)).toBeNull();
    expect(artifactPathInRun(`${root}x/model`, 'abc123', root)).toBeNull();
    expect(artifactPathInRun(`${root}/../secret`, 'abc123', root)).toBeNull();
    expect(artifactPathInRun(`${root}/model`, '', root)).toBeNull();
  });
});

describe('modelNameFilter', () => {
  it('builds a case-insensitive substring filter, nothing for blank text', () => {
    expect(modelNameFilter(' mnist ')).toBe("name ILIKE '%mnist%'");
    expect(modelNameFilter('  ')).toBeUndefined();
  });

  it('turns a quote into a one-character wildcard (the grammar has no escape)', () => {
    expect(modelNameFilter("bob's")).toBe("name ILIKE '%bob_s%'");
  });
});

describe('excerpt', () => {
  it('keeps the first line and cuts long text with an ellipsis', () => {
    expect(excerpt('Short\nsecond line')).toBe('Short');
    expect(excerpt('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(excerpt(undefined)).toBe('');
  });
});

describe('versionsOfModelFilter', () => {
  it('matches the name exactly when it can be quoted, by LIKE when it holds a quote', () => {
    expect(versionsOfModelFilter('fraud-detector')).toBe("name = 'fraud-detector'");
    expect(versionsOfModelFilter("bob's model")).toBe("name LIKE 'bob_s model'");
  });
});

import { MlflowError } from '../errors';
import { csvCell, roundsCsv } from './export';
import { FlopsNaming } from './naming';
import { bestRound, parseObjective, ScoredRound } from './objective';
import { assembleProject, assembleProjects, projectState } from './project-view';
import { FlopsExperimentRecord, FlopsRunRecord } from './records';
import { roundAggregationOf } from './tags';

const naming = new FlopsNaming();

const experiment = (tags: { key: string; value: string }[] = []): FlopsExperimentRecord => ({
  experimentId: '7',
  name: 'FLOps Project abc',
  lifecycleStage: 'active',
  creationTime: 1,
  lastUpdateTime: 1,
  tags,
});

let sequence = 0;
const run = (
  name: string,
  tags: { key: string; value: string }[] = [],
  start = 0,
): FlopsRunRecord => ({
  runId: `run${++sequence}`,
  experimentId: '7',
  runName: name,
  status: 'FINISHED',
  startTime: start,
  endTime: start + 10,
  artifactUri: 'mlflow-artifacts:/7/x/artifacts',
  tags,
  loggedModels: [],
});

const scored = (round: number, metrics: Record<string, number>): ScoredRound => ({
  round,
  metrics: new Map(Object.entries(metrics)),
});

describe(FlopsNaming.name, () => {
  it('reads and writes the reference names', () => {
    expect(naming.projectIdOfName('FLOps Project 66f1a2b3c4d5e6f7a8b9c0d1')).toBe(
      '66f1a2b3c4d5e6f7a8b9c0d1',
    );
    expect(naming.projectIdOfName('FLOps Project ')).toBeNull();
    expect(naming.projectIdOfName('flops project x')).toBeNull();
    expect(naming.roundOfName('FLOps FL round 12')).toBe(12);
    expect(naming.roundOfName('FLOps FL round 1.5')).toBeNull();
    expect(naming.roundOfName('FLOps FL round 99999999999')).toBeNull();
    expect(naming.roundName(3)).toBe('FLOps FL round 3');
  });

  it('takes patterns with a suffix, and refuses one without its placeholder', () => {
    const custom = new FlopsNaming({
      projectNamePattern: 'P[<id>]',
      roundNamePattern: 'round <n> of training',
    });
    expect(custom.projectIdOfName('P[x]')).toBe('x');
    expect(custom.roundOfName('round 2 of training')).toBe(2);
    expect(() => new FlopsNaming({ projectNamePattern: 'P', roundNamePattern: '<n>' })).toThrow(
      MlflowError,
    );
  });
});

describe(bestRound.name, () => {
  it("follows the aggregator's rule: both accuracy higher and loss lower", () => {
    const rounds = [
      scored(1, { accuracy: 0.6, loss: 0.8 }),
      scored(2, { accuracy: 0.9, loss: 0.3 }),
      scored(3, { accuracy: 0.95, loss: 0.5 }),
    ];
    expect(bestRound(rounds, { kind: 'aggregator' })?.round).toBe(2);
    expect(bestRound([...rounds].reverse(), { kind: 'aggregator' })?.round).toBe(2);
  });

  it('ranks by the objective terms, ties to the earlier round, NaN and absent never winning', () => {
    const rounds = [
      scored(1, { loss: 0.5, accuracy: 0.7 }),
      scored(2, { loss: NaN }),
      scored(3, { loss: 0.5, accuracy: 0.9 }),
      scored(4, { accuracy: 0.99 }),
    ];
    expect(bestRound(rounds, parseObjective('loss:min'))?.round).toBe(1);
    expect(bestRound(rounds, parseObjective('loss:min,accuracy:max'))?.round).toBe(3);
    expect(bestRound(rounds, parseObjective('accuracy:max'))?.round).toBe(4);
    expect(bestRound([], parseObjective('loss:min'))).toBeNull();
  });

  it('refuses malformed objectives', () => {
    for (const text of [
      'loss',
      'loss:up',
      ':max',
      'a:max,b:min,c:max,d:min,e:max,f:min',
      'a//b:max',
    ]) {
      expect(() => parseObjective(text)).toThrow(MlflowError);
    }
  });
});

describe(assembleProject.name, () => {
  it('numbers rounds by tag over name, keeps the later of two runs of one round, skips others', () => {
    const first = run('FLOps FL round 1', [], 0);
    const retry = run('FLOps FL round 1', [], 5);
    const tagged = run('anything', [{ key: 'flops.round', value: '2' }], 10);
    const stray = run('my notebook run');
    const project = assembleProject(experiment(), [first, retry, tagged, stray], naming);
    expect(project?.projectId).toBe('abc');
    expect(project?.rounds.map((r) => [r.round, r.runId])).toEqual([
      [1, retry.runId],
      [2, tagged.runId],
    ]);
  });

  it('prefers the project id tag, and is null for an experiment that is no project', () => {
    const tagged = experiment([{ key: 'flops.project_id', value: 'tagged' }]);
    expect(assembleProject(tagged, [], naming)?.projectId).toBe('tagged');
    expect(assembleProject({ ...experiment(), name: 'other' }, [], naming)).toBeNull();
  });

  it('nests cluster-level rounds under their cycle by parent run or cycle tag', () => {
    const cycle = run('FLOps FL round 1');
    const byParent = run('FLOps FL round 1', [{ key: 'mlflow.parentRunId', value: cycle.runId }]);
    const byTag = run('FLOps FL round 2', [{ key: 'flops.cycle', value: '1' }]);
    const orphan = run('FLOps FL round 1', [{ key: 'flops.cycle', value: '9' }]);
    const project = assembleProject(experiment(), [cycle, byParent, byTag, orphan], naming);
    expect(project?.mode).toBe('hierarchical');
    expect(project?.rounds).toHaveLength(1);
    expect(project?.rounds[0].clusterRounds.map((r) => [r.round, r.cycle, r.runId])).toEqual([
      [1, 1, byParent.runId],
      [2, 1, byTag.runId],
    ]);
  });

  it('finds the trained model through the log-model history or a logged model', () => {
    const history = JSON.stringify([{ artifact_path: 'logged_model_artifact', flavors: {} }]);
    const one = run('FLOps FL round 1', [{ key: 'mlflow.log-model.history', value: history }]);
    const two = { ...run('FLOps FL round 2'), loggedModels: [{ modelId: 'm-1', name: 'other' }] };
    expect(assembleProject(experiment(), [one, two], naming)?.model).toMatchObject({
      round: 1,
      runId: one.runId,
      artifactPath: 'logged_model_artifact',
    });
    const three = {
      ...run('FLOps FL round 3'),
      loggedModels: [{ modelId: 'm-2', name: 'logged_model_artifact' }],
    };
    expect(assembleProject(experiment(), [one, two, three], naming)?.model).toMatchObject({
      round: 3,
      loggedModelId: 'm-2',
    });
  });
});

describe(assembleProjects.name, () => {
  it('gives each project its own runs and metrics, as assembleProject does one at a time', () => {
    const other: FlopsExperimentRecord = {
      ...experiment(),
      experimentId: '8',
      name: 'FLOps Project def',
    };
    const mine = [run('FLOps FL round 1'), run('FLOps FL round 2')];
    const theirs = [{ ...run('FLOps FL round 1'), experimentId: '8' }];
    const metrics = [...mine, ...theirs].flatMap((r, i) =>
      [
        ['accuracy', i / 10],
        ['loss', 1 - i / 10],
      ].map(([key, value]) => ({
        runId: r.runId,
        key: key as string,
        value: value as number,
        timestamp: 1,
        step: 0,
      })),
    );
    const runs = [theirs[0], ...mine];
    const notAProject = { ...experiment(), experimentId: '9', name: 'plain' };
    const together = assembleProjects([experiment(), notAProject, other], runs, naming, {
      metrics,
    });
    const alone = [experiment(), other].map((e) => assembleProject(e, runs, naming, { metrics }));
    expect(together).toEqual(alone);
    expect(together.map((p) => [p.projectId, p.rounds.length, p.bestRound?.runId])).toEqual([
      ['abc', 2, mine[1].runId],
      ['def', 1, theirs[0].runId],
    ]);
  });
});

describe(projectState.name, () => {
  it('is active while a round runs or before any, failed after a failed round, else finished', () => {
    expect(projectState([])).toBe('active');
    expect(projectState([{ status: 'FINISHED' }, { status: 'RUNNING' }])).toBe('active');
    expect(projectState([{ status: 'FINISHED' }, { status: 'KILLED' }])).toBe('failed');
    expect(projectState([{ status: 'FINISHED' }])).toBe('finished');
  });
});

describe(roundAggregationOf.name, () => {
  it('reads only well-formed counts and leaves the rest absent', () => {
    const tags = new Map([
      ['flops.round.participants.selected', '3'],
      ['flops.round.participants.failed', '-1'],
      ['flops.round.examples', 'many'],
    ]);
    expect(roundAggregationOf(tags)).toEqual({ participantsSelected: 3 });
  });
});

describe(csvCell.name, () => {
  it('neutralises formulas and quotes separators', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+x')).toBe("'+x");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(NaN)).toBe('NaN');
    expect(csvCell(null)).toBe('');
  });

  it('exports one row per round under a header', () => {
    const project = assembleProject(experiment(), [run('FLOps FL round 1')], naming);
    const lines = roundsCsv(project!).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0].startsWith('round,run_id,status,start_time,end_time,duration_ms')).toBe(true);
  });
});

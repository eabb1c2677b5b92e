import {
  CreateExperimentInput,
  Experiment,
  experimentNotFound,
  ExperimentStore,
  KeyValue,
  lifecycleStagesFor,
  MlflowError,
  SearchExperimentsQuery,
} from '@app/domain';

import { Row, SqlExecutor, SqlRunner, SqlValue } from '../sql-executor';
import { requireReadableExperiment } from './access-predicates';
import { joinArtifactRoot } from './artifact-locations';
import { experimentKey } from './experiment-lookup';
import { SearchColumns, SearchStatement, unsupported } from './search-builder';
import { num, placeholders, q, str, strOrNull } from './sql-helpers';

const EXPERIMENT_COLUMNS =
  'e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time, e.owner';

const SEARCH_COLUMNS: SearchColumns = {
  filterable: {
    name: 'e.name',
    creation_time: 'e.creation_time',
    last_update_time: 'e.last_update_time',
  },
  orderable: {
    name: { expression: 'e.name', nullable: false },
    experiment_id: { expression: 'e.experiment_id', nullable: false },
    creation_time: { expression: 'e.creation_time', nullable: true },
    last_update_time: { expression: 'e.last_update_time', nullable: true },
  },
  keyValues: {
    tag: { table: 'experiment_tags', ownerMatch: (a) => `${a}.experiment_id = e.experiment_id` },
  },
};

export class SqlExperimentStore extends ExperimentStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly artifactRoot: string,
  ) {
    super();
  }

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    const now = Date.now();
    try {
      return await this.sql.transaction(async (tx) => {
        const { insertId } = await tx.execute(
          'INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time, owner, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [
            input.name,
            '',
            'active',
            now,
            now,
            input.owner?.username ?? null,
            input.owner?.userId ?? null,
          ],
        );
        if (input.owner) {
          await tx.execute(
            "INSERT INTO experiment_permissions (experiment_id, user_id, permission) VALUES (?, ?, 'MANAGE')",
            [insertId, input.owner.userId],
          );
        }
        const id = String(insertId);
        await tx.execute('UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?', [
          joinArtifactRoot(this.artifactRoot, id),
          insertId,
        ]);
        await upsertExperimentTags(tx, insertId, input.tags);
        return id;
      });
    } catch (error) {
      if (this.sql.dialect.classifyError(error) === 'duplicate-key') {
        throw MlflowError.resourceAlreadyExists(`Experiment '${input.name}' already exists.`);
      }
      throw error;
    }
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const experiment = await this.findById(this.sql, experimentId);
    if (!experiment) throw notFound(experimentId);
    return experiment;
  }

  async findExperimentByName(name: string): Promise<Experiment | null> {
    const rows = await this.sql.select(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments e WHERE e.name = ?`,
      [name],
    );
    return rows.length ? (await this.withTags(this.sql, rows))[0] : null;
  }

  async searchExperiments(
    query: SearchExperimentsQuery,
  ): Promise<{ items: Experiment[]; hasMore: boolean }> {
    const search = new SearchStatement();
    const stages = lifecycleStagesFor(query.viewType);
    search.require(`e.lifecycle_stage IN (${placeholders(stages.length)})`, stages);
    requireReadableExperiment(search, query.readableBy, 'e.experiment_id');
    for (const clause of query.filter) {
      if (!search.filterBy(SEARCH_COLUMNS, clause)) {
        throw unsupported(`${clause.type}.${clause.key}`);
      }
    }
    for (const clause of query.orderBy) {
      if (clause.type !== 'attribute' || !search.sortBy(SEARCH_COLUMNS, clause)) {
        throw unsupported(`order_by ${clause.key}`);
      }
    }
    const page = search.page(EXPERIMENT_COLUMNS, 'experiments e', query);
    const rows = await this.sql.select(page.sql, page.params);
    const hasMore = rows.length > query.maxResults;
    return { items: await this.withTags(this.sql, rows.slice(0, query.maxResults)), hasMore };
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    const experiment = await this.getExperiment(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw MlflowError.invalidState('Cannot rename a non-active experiment.');
    }
    try {
      await this.sql.execute(
        'UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?',
        [newName, Date.now(), num(experimentId)],
      );
    } catch (error) {
      if (this.sql.dialect.classifyError(error) === 'duplicate-key') {
        throw MlflowError.badRequest(`Experiment '${newName}' already exists.`);
      }
      throw error;
    }
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.setLifecycle(experimentId, 'active', 'deleted');
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.setLifecycle(experimentId, 'deleted', 'active');
  }

  async setExperimentTag(experimentId: string, tag: KeyValue): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.requireActive(tx, experimentId);
      await upsertExperimentTags(tx, num(experimentId), [tag]);
    });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.requireActive(tx, experimentId);
      const { affectedRows } = await tx.execute(
        `DELETE FROM experiment_tags WHERE experiment_id = ? AND ${q('key')} = ?`,
        [num(experimentId), key],
      );
      if (affectedRows === 0) {
        throw MlflowError.resourceDoesNotExist(
          `No tag with name: ${key} in experiment with id ${experimentId}`,
        );
      }
    });
  }

  private async setLifecycle(
    experimentId: string,
    from: 'active' | 'deleted',
    to: 'active' | 'deleted',
  ) {
    const now = Date.now();
    await this.sql.transaction(async (tx) => {
      const experiment = await this.findById(tx, experimentId);
      // MLflow answers "does not exist" both for a missing experiment and for one in the wrong state.
      if (!experiment || experiment.lifecycleStage !== from) throw notFound(experimentId);
      await tx.execute(
        'UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?',
        [to, now, num(experimentId)],
      );
      // Deleting a project deletes its rounds; restoring it restores all of them (MLflow semantics).
      await tx.execute(
        'UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ?',
        [to, to === 'deleted' ? now : null, num(experimentId)],
      );
    });
  }

  private async requireActive(tx: SqlRunner, experimentId: string): Promise<void> {
    const experiment = await this.findById(tx, experimentId);
    if (!experiment) throw notFound(experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw MlflowError.invalidParameterValue(
        `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`,
      );
    }
  }

  private async findById(runner: SqlRunner, experimentId: string): Promise<Experiment | null> {
    const key = experimentKey(experimentId);
    if (key === undefined) return null;
    const rows = await runner.select(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments e WHERE e.experiment_id = ?`,
      [key],
    );
    return rows.length ? (await this.withTags(runner, rows))[0] : null;
  }

  private async withTags(runner: SqlRunner, rows: Row[]): Promise<Experiment[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => num(r.experiment_id));
    const tagRows = await runner.select(
      `SELECT experiment_id, ${q('key')} AS k, ${q('value')} AS v FROM experiment_tags WHERE experiment_id IN (${placeholders(ids.length)}) ORDER BY ${q('key')}`,
      ids,
    );
    const tags = new Map<number, KeyValue[]>();
    for (const row of tagRows) {
      const id = num(row.experiment_id);
      const list = tags.get(id) ?? [];
      list.push({ key: str(row.k), value: str(row.v) });
      tags.set(id, list);
    }
    return rows.map((row) => ({
      experimentId: String(num(row.experiment_id)),
      name: str(row.name),
      artifactLocation: str(row.artifact_location),
      lifecycleStage: str(row.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
      creationTime: num(row.creation_time),
      lastUpdateTime: num(row.last_update_time),
      tags: tags.get(num(row.experiment_id)) ?? [],
      owner: strOrNull(row.owner),
    }));
  }
}

async function upsertExperimentTags(
  tx: SqlRunner,
  experimentId: number,
  tags: KeyValue[],
): Promise<void> {
  if (tags.length === 0) return;
  const params: SqlValue[] = [];
  for (const tag of tags) params.push(experimentId, tag.key, tag.value);
  await tx.execute(
    `INSERT INTO experiment_tags (experiment_id, ${q('key')}, ${q('value')}) VALUES ${tags
      .map(() => '(?, ?, ?)')
      .join(', ')} ${tx.dialect.upsert(['experiment_id', 'key'], ['value'])}`,
    params,
  );
}

const notFound = experimentNotFound;

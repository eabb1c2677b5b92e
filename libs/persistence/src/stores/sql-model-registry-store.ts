import {
  aliasNotFound,
  CreateModelVersionInput,
  CreateRegisteredModelInput,
  DELETED_STAGE,
  KeyValue,
  LoggedModelLocation,
  MODEL_STAGES,
  MODEL_VERSION_STATUSES,
  ModelRegistryStore,
  ModelStage,
  ModelVersion,
  modelVersionNotFound,
  ModelVersionStatus,
  PROMPT_TAG_KEY,
  ReadableBy,
  RegisteredModel,
  RegisteredModelAlias,
  registeredModelAlreadyExists,
  registeredModelNotFound,
  RunArtifactRoot,
  SearchRegistryQuery,
} from '@app/domain';

import { Row, SqlExecutor, SqlRunner } from '../sql-executor';
import { requireReadableRegisteredModel } from './access-predicates';
import { SearchColumns, SearchStatement, unsupported } from './search-builder';
import { chunk, num, placeholders, q, str, strOrNull } from './sql-helpers';

const RM_COLUMNS =
  'rm.id, rm.name, rm.creation_time, rm.last_updated_time, rm.description, rm.owner';
const MV_COLUMNS =
  'mv.registered_model_id, mv.version, rm.name, mv.creation_time, mv.last_updated_time, ' +
  'mv.description, mv.user_id, mv.current_stage, mv.source, mv.storage_location, mv.run_id, ' +
  'mv.run_link, mv.status, mv.status_message, mv.model_id';
const MV_FROM = 'model_versions mv JOIN registered_models rm ON rm.id = mv.registered_model_id';

// MLflow's redaction of soft-deleted versions (sqlalchemy_store.delete_model_version).
const REDACTED_SOURCE = 'REDACTED-SOURCE-PATH';
const REDACTED_RUN_ID = 'REDACTED-RUN-ID';
const REDACTED_RUN_LINK = 'REDACTED-RUN-LINK';

/** Keeps every IN list (and its bound parameters) to a size both dialects handle well. */
const IN_CHUNK = 500;

// Every orderable registry column is NOT NULL, so plain ASC/DESC keeps indexes usable.
const REGISTERED_MODEL_SEARCH: SearchColumns = {
  filterable: { name: 'rm.name' },
  orderable: {
    name: { expression: 'rm.name', nullable: false },
    last_updated_timestamp: { expression: 'rm.last_updated_time', nullable: false },
  },
  keyValues: {
    tag: { table: 'registered_model_tags', ownerMatch: (a) => `${a}.registered_model_id = rm.id` },
  },
};
const versionTagOf = (a: string) =>
  `${a}.registered_model_id = mv.registered_model_id AND ${a}.version = mv.version`;
const MODEL_VERSION_SEARCH: SearchColumns = {
  filterable: {
    name: 'rm.name',
    run_id: 'mv.run_id',
    source_path: 'mv.source',
    version_number: 'mv.version',
  },
  orderable: {
    name: { expression: 'rm.name', nullable: false },
    version_number: { expression: 'mv.version', nullable: false },
    creation_timestamp: { expression: 'mv.creation_time', nullable: false },
    last_updated_timestamp: { expression: 'mv.last_updated_time', nullable: false },
  },
  keyValues: {
    tag: { table: 'model_version_tags', ownerMatch: versionTagOf },
  },
};

interface ModelRow {
  id: number;
  nextVersion: number;
}

type AliasesByModel = Map<number, RegisteredModelAlias[]>;

export class SqlModelRegistryStore extends ModelRegistryStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    const now = Date.now();
    try {
      await this.sql.transaction(async (tx) => {
        const { insertId } = await tx.execute(
          'INSERT INTO registered_models (name, creation_time, last_updated_time, description, owner, next_version) VALUES (?, ?, ?, ?, ?, 1)',
          [input.name, now, now, input.description, input.owner?.username ?? null],
        );
        if (input.owner) {
          await tx.execute(
            "INSERT INTO registered_model_permissions (registered_model_id, user_id, permission) VALUES (?, ?, 'MANAGE')",
            [insertId, input.owner.userId],
          );
        }
        await upsertModelTags(tx, insertId, input.tags);
      });
    } catch (error) {
      if (this.sql.dialect.classifyError(error) === 'duplicate-key') {
        throw registeredModelAlreadyExists(input.name);
      }
      throw error;
    }
    return {
      name: input.name,
      creationTimestamp: now,
      lastUpdatedTimestamp: now,
      description: input.description,
      latestVersions: [],
      tags: [...input.tags].sort((a, b) => compareText(a.key, b.key)),
      aliases: [],
      owner: input.owner?.username ?? null,
    };
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return requireModel(this.sql, name);
  }

  async assertRegisteredModelExists(name: string): Promise<void> {
    const rows = await this.sql.select('SELECT 1 AS found FROM registered_models WHERE name = ?', [
      name,
    ]);
    if (rows.length === 0) throw registeredModelNotFound(name);
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    try {
      return await this.sql.transaction(async (tx) => {
        const model = await lockModel(tx, name);
        if (!model) throw registeredModelNotFound(name);
        const now = Date.now();
        await tx.execute(
          'UPDATE registered_models SET name = ?, last_updated_time = ? WHERE id = ?',
          [newName, now, model.id],
        );
        await tx.execute(
          'UPDATE model_versions SET last_updated_time = ? WHERE registered_model_id = ?',
          [now, model.id],
        );
        return requireModel(tx, newName);
      });
    } catch (error) {
      if (this.sql.dialect.classifyError(error) === 'duplicate-key') {
        throw registeredModelAlreadyExists(newName);
      }
      throw error;
    }
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    return this.sql.transaction(async (tx) => {
      const model = await lockModel(tx, name);
      if (!model) throw registeredModelNotFound(name);
      await tx.execute(
        'UPDATE registered_models SET description = ?, last_updated_time = ? WHERE id = ?',
        [description, Date.now(), model.id],
      );
      return requireModel(tx, name);
    });
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const model = await lockModel(tx, name);
      if (!model) throw registeredModelNotFound(name);
      for (const table of [
        'registered_model_aliases',
        'model_version_tags',
        'registered_model_tags',
        'model_versions',
        // Grants go with their model: a later model of the same name inherits none (§10.12).
        'registered_model_permissions',
      ]) {
        await tx.execute(`DELETE FROM ${table} WHERE registered_model_id = ?`, [model.id]);
      }
      await tx.execute('DELETE FROM registered_models WHERE id = ?', [model.id]);
    });
  }

  async searchRegisteredModels(
    query: SearchRegistryQuery,
  ): Promise<{ items: RegisteredModel[]; hasMore: boolean }> {
    const search = registrySearch(REGISTERED_MODEL_SEARCH, query, 'registered_model_tags');
    const page = search.page(RM_COLUMNS, 'registered_models rm', query);
    const rows = await this.sql.select(page.sql, page.params);
    const hasMore = rows.length > query.maxResults;
    return { items: await hydrateModels(this.sql, rows.slice(0, query.maxResults)), hasMore };
  }

  async getLatestVersions(name: string, stages: ModelStage[] | null): Promise<ModelVersion[]> {
    const rows = await this.sql.select(
      `SELECT ${RM_COLUMNS} FROM registered_models rm WHERE rm.name = ?`,
      [name],
    );
    if (rows.length === 0) throw registeredModelNotFound(name);
    const id = num(rows[0].id);
    const latest = (await latestVersions(this.sql, [id], await aliasesOf(this.sql, [id]))).get(id);
    return (latest ?? []).filter((v) => stages === null || stages.includes(v.currentStage));
  }

  async setRegisteredModelTag(name: string, tag: KeyValue): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const model = await lockModel(tx, name);
      if (!model) throw registeredModelNotFound(name);
      await upsertModelTags(tx, model.id, [tag]);
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const model = await lockModel(tx, name);
      if (!model) throw registeredModelNotFound(name);
      await tx.execute(
        `DELETE FROM registered_model_tags WHERE registered_model_id = ? AND ${q('key')} = ?`,
        [model.id, key],
      );
    });
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    const now = Date.now();
    const number = await this.sql.transaction(async (tx) => {
      // The counter update takes the model row's lock (MySQL) and is serialised with every other
      // write (SQLite), so the number read back is ours alone, whichever process we run in.
      const { affectedRows } = await tx.execute(
        'UPDATE registered_models SET next_version = next_version + 1, last_updated_time = ? WHERE name = ?',
        [now, input.name],
      );
      if (affectedRows === 0) throw registeredModelNotFound(input.name);
      const [row] = await tx.select(
        'SELECT id, next_version FROM registered_models WHERE name = ?',
        [input.name],
      );
      const number = num(row.next_version) - 1;
      await insertVersion(tx, num(row.id), number, input, now);
      return number;
    });
    return createdVersion(input, number, now);
  }

  async createModelVersionOnce(
    input: CreateModelVersionInput,
    match: KeyValue[],
  ): Promise<{ version: ModelVersion; created: boolean }> {
    const now = Date.now();
    return this.sql.transaction(async (tx) => {
      // The model row's lock serialises this check with every other creator of the model.
      const model = await lockModel(tx, input.name);
      if (!model) throw registeredModelNotFound(input.name);
      const tagMatches = match.map(
        (_, i) =>
          `EXISTS (SELECT 1 FROM model_version_tags t${i} WHERE t${i}.registered_model_id = mv.registered_model_id AND t${i}.version = mv.version AND t${i}.${q('key')} = ? AND t${i}.${q('value')} = ?)`,
      );
      const [existing] = await tx.select(
        `SELECT mv.version FROM model_versions mv WHERE mv.registered_model_id = ? AND mv.current_stage <> ? AND mv.source = ?${tagMatches.map((m) => ` AND ${m}`).join('')} ORDER BY mv.version LIMIT 1`,
        [model.id, DELETED_STAGE, input.source, ...match.flatMap((t) => [t.key, t.value])],
      );
      if (existing) {
        return {
          version: await requireVersion(tx, input.name, num(existing.version)),
          created: false,
        };
      }
      await tx.execute(
        'UPDATE registered_models SET next_version = next_version + 1, last_updated_time = ? WHERE id = ?',
        [now, model.id],
      );
      await insertVersion(tx, model.id, model.nextVersion, input, now);
      return { version: createdVersion(input, model.nextVersion, now), created: true };
    });
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    return requireVersion(this.sql, name, version);
  }

  async updateModelVersion(
    name: string,
    version: number,
    description: string,
  ): Promise<ModelVersion> {
    return this.sql.transaction(async (tx) => {
      const model = await lockLiveVersion(tx, name, version);
      await tx.execute(
        'UPDATE model_versions SET description = ?, last_updated_time = ? WHERE registered_model_id = ? AND version = ?',
        [description, Date.now(), model.id, version],
      );
      return requireVersion(tx, name, version);
    });
  }

  async transitionModelVersionStage(
    name: string,
    version: number,
    stage: ModelStage,
    archiveExisting: boolean,
  ): Promise<ModelVersion> {
    return this.sql.transaction(async (tx) => {
      // Locking the model row first serialises transitions of one model, so two archiving
      // transitions into the same stage cannot both leave their version there.
      const model = await lockLiveVersion(tx, name, version);
      const now = Date.now();
      if (archiveExisting) {
        await tx.execute(
          'UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE registered_model_id = ? AND version <> ? AND current_stage = ?',
          ['Archived', now, model.id, version, stage],
        );
      }
      await tx.execute(
        'UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE registered_model_id = ? AND version = ?',
        [stage, now, model.id, version],
      );
      await tx.execute('UPDATE registered_models SET last_updated_time = ? WHERE id = ?', [
        now,
        model.id,
      ]);
      return requireVersion(tx, name, version);
    });
  }

  async deleteModelVersion(name: string, version: number): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const model = await lockLiveVersion(tx, name, version);
      const now = Date.now();
      await tx.execute(
        'UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL, source = ?, storage_location = ?, run_id = ?, run_link = ?, status_message = NULL WHERE registered_model_id = ? AND version = ?',
        [
          DELETED_STAGE,
          now,
          REDACTED_SOURCE,
          REDACTED_SOURCE,
          REDACTED_RUN_ID,
          REDACTED_RUN_LINK,
          model.id,
          version,
        ],
      );
      await tx.execute(
        'DELETE FROM registered_model_aliases WHERE registered_model_id = ? AND version = ?',
        [model.id, version],
      );
      await tx.execute(
        'DELETE FROM model_version_tags WHERE registered_model_id = ? AND version = ?',
        [model.id, version],
      );
      await tx.execute('UPDATE registered_models SET last_updated_time = ? WHERE id = ?', [
        now,
        model.id,
      ]);
    });
  }

  async searchModelVersions(
    query: SearchRegistryQuery,
  ): Promise<{ items: ModelVersion[]; hasMore: boolean }> {
    const search = new SearchStatement();
    search.require('mv.current_stage <> ?', [DELETED_STAGE]);
    registrySearch(MODEL_VERSION_SEARCH, query, 'model_version_tags', search);
    const page = search.page(MV_COLUMNS, MV_FROM, query);
    const rows = await this.sql.select(page.sql, page.params);
    const hasMore = rows.length > query.maxResults;
    return { items: await hydrateVersions(this.sql, rows.slice(0, query.maxResults)), hasMore };
  }

  async findModelVersionsByTag(
    key: string,
    values: string[],
    readableBy: ReadableBy | null,
  ): Promise<ModelVersion[]> {
    const rows: Row[] = [];
    for (const part of chunk([...new Set(values)], IN_CHUNK)) {
      const search = new SearchStatement();
      search.require('mv.current_stage <> ?', [DELETED_STAGE]);
      search.keyValueFilter('model_version_tags', versionTagOf, {
        type: 'tag',
        key,
        comparator: 'IN',
        value: part,
      });
      requireReadableRegisteredModel(search, readableBy, 'rm.id');
      const joins = search.joins();
      const where = search.whereClause();
      rows.push(
        ...(await this.sql.select(`SELECT ${MV_COLUMNS} FROM ${MV_FROM} ${joins.sql}${where.sql}`, [
          ...joins.params,
          ...where.params,
        ])),
      );
    }
    rows.sort(
      (a, b) =>
        num(a.creation_time) - num(b.creation_time) ||
        compareText(str(a.name), str(b.name)) ||
        num(a.version) - num(b.version),
    );
    return hydrateVersions(this.sql, rows);
  }

  async setModelVersionTag(name: string, version: number, tag: KeyValue): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const model = await lockLiveVersion(tx, name, version);
      await upsertVersionTags(tx, model.id, version, [tag]);
    });
  }

  async deleteModelVersionTag(name: string, version: number, key: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const model = await lockLiveVersion(tx, name, version);
      await tx.execute(
        `DELETE FROM model_version_tags WHERE registered_model_id = ? AND version = ? AND ${q('key')} = ?`,
        [model.id, version, key],
      );
    });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: number): Promise<void> {
    await this.sql.transaction(async (tx) => {
      // Under the model lock, so a concurrent delete of the version cannot leave a dangling alias.
      const model = await lockLiveVersion(tx, name, version);
      await tx.execute(
        `INSERT INTO registered_model_aliases (registered_model_id, alias, version) VALUES (?, ?, ?) ${tx.dialect.upsert(['registered_model_id', 'alias'], ['version'])}`,
        [model.id, alias, version],
      );
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const model = await lockModel(tx, name);
      if (!model) throw registeredModelNotFound(name);
      await tx.execute(
        'DELETE FROM registered_model_aliases WHERE registered_model_id = ? AND alias = ?',
        [model.id, alias],
      );
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const rows = await this.sql.select(
      'SELECT a.version FROM registered_model_aliases a JOIN registered_models rm ON rm.id = a.registered_model_id WHERE rm.name = ? AND a.alias = ?',
      [name, alias],
    );
    if (rows.length === 0) throw aliasNotFound(alias);
    return requireVersion(this.sql, name, num(rows[0].version));
  }

  async getLatestModelVersion(name: string): Promise<ModelVersion | null> {
    const rows = await this.sql.select(
      `SELECT ${MV_COLUMNS} FROM ${MV_FROM} WHERE rm.name = ? AND mv.current_stage <> ? ORDER BY mv.version DESC LIMIT 1`,
      [name, DELETED_STAGE],
    );
    return rows.length ? (await hydrateVersions(this.sql, rows))[0] : null;
  }

  async findRunArtifactRoots(runIds: string[]): Promise<RunArtifactRoot[]> {
    const roots: RunArtifactRoot[] = [];
    for (const ids of chunk([...new Set(runIds)], IN_CHUNK)) {
      const rows = await this.sql.select(
        `SELECT run_uuid, artifact_uri FROM runs WHERE run_uuid IN (${placeholders(ids.length)})`,
        ids,
      );
      roots.push(
        ...rows.map((r) => ({ runId: str(r.run_uuid), artifactUri: str(r.artifact_uri) })),
      );
    }
    return roots;
  }

  async findLoggedModelLocations(modelIds: string[]): Promise<LoggedModelLocation[]> {
    const locations: LoggedModelLocation[] = [];
    for (const ids of chunk([...new Set(modelIds)], IN_CHUNK)) {
      const rows = await this.sql.select(
        `SELECT model_id, artifact_location, source_run_id FROM logged_models WHERE model_id IN (${placeholders(ids.length)}) AND lifecycle_stage = ?`,
        [...ids, 'active'],
      );
      locations.push(
        ...rows.map((r) => ({
          modelId: str(r.model_id),
          artifactLocation: str(r.artifact_location),
          sourceRunId: strOrNull(r.source_run_id),
        })),
      );
    }
    return locations;
  }
}

async function insertVersion(
  tx: SqlRunner,
  modelId: number,
  number: number,
  input: CreateModelVersionInput,
  now: number,
): Promise<void> {
  await tx.execute(
    'INSERT INTO model_versions (registered_model_id, version, creation_time, last_updated_time, description, user_id, current_stage, source, storage_location, run_id, run_link, status, status_message, model_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      modelId,
      number,
      now,
      now,
      input.description,
      input.userId,
      'None',
      input.source,
      input.storageLocation,
      input.runId,
      input.runLink,
      'READY',
      null,
      input.modelId,
    ],
  );
  await upsertVersionTags(tx, modelId, number, input.tags);
}

/** The version just inserted from `input`, as a read would return it. */
function createdVersion(input: CreateModelVersionInput, number: number, now: number): ModelVersion {
  return {
    name: input.name,
    version: String(number),
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
    userId: input.userId,
    currentStage: 'None',
    description: input.description,
    source: input.source,
    storageLocation: input.storageLocation,
    runId: input.runId,
    runLink: input.runLink,
    status: 'READY',
    statusMessage: null,
    tags: [...input.tags].sort((a, b) => compareText(a.key, b.key)),
    aliases: [],
    modelId: input.modelId,
  };
}

/** The model row, locked for the rest of the transaction on MySQL (SQLite is already exclusive). */
async function lockModel(tx: SqlRunner, name: string): Promise<ModelRow | null> {
  const rows = await tx.select(
    `SELECT id, next_version FROM registered_models WHERE name = ?${tx.dialect.forUpdate}`,
    [name],
  );
  return rows.length ? { id: num(rows[0].id), nextVersion: num(rows[0].next_version) } : null;
}

/** Locks the model and checks the version is live; MLflow reports both misses as the version's. */
async function lockLiveVersion(tx: SqlRunner, name: string, version: number): Promise<ModelRow> {
  const model = await lockModel(tx, name);
  if (model) {
    const rows = await tx.select(
      'SELECT 1 AS present FROM model_versions WHERE registered_model_id = ? AND version = ? AND current_stage <> ?',
      [model.id, version, DELETED_STAGE],
    );
    if (rows.length) return model;
  }
  throw modelVersionNotFound(name, version);
}

async function requireModel(runner: SqlRunner, name: string): Promise<RegisteredModel> {
  const rows = await runner.select(
    `SELECT ${RM_COLUMNS} FROM registered_models rm WHERE rm.name = ?`,
    [name],
  );
  if (rows.length === 0) throw registeredModelNotFound(name);
  return (await hydrateModels(runner, rows))[0];
}

async function requireVersion(
  runner: SqlRunner,
  name: string,
  version: number,
): Promise<ModelVersion> {
  const rows = await runner.select(
    `SELECT ${MV_COLUMNS} FROM ${MV_FROM} WHERE rm.name = ? AND mv.version = ? AND mv.current_stage <> ?`,
    [name, version, DELETED_STAGE],
  );
  if (rows.length === 0) throw modelVersionNotFound(name, version);
  return (await hydrateVersions(runner, rows))[0];
}

/** Models with tags, aliases and latest versions: three queries plus two for the versions. */
async function hydrateModels(runner: SqlRunner, rows: Row[]): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => num(r.id));
  const tags = new Map<number, KeyValue[]>();
  for (const part of chunk(ids, IN_CHUNK)) {
    const tagRows = await runner.select(
      `SELECT registered_model_id, ${q('key')} AS k, ${q('value')} AS v FROM registered_model_tags WHERE registered_model_id IN (${placeholders(part.length)}) ORDER BY registered_model_id, ${q('key')}`,
      part,
    );
    for (const row of tagRows) {
      push(tags, num(row.registered_model_id), { key: str(row.k), value: str(row.v) });
    }
  }
  const aliases = await aliasesOf(runner, ids);
  // MLflow builds a model's latest versions without their aliases (registry.json).
  const latest = await latestVersions(runner, ids, new Map());
  return rows.map((row) => {
    const id = num(row.id);
    return {
      name: str(row.name),
      creationTimestamp: num(row.creation_time),
      lastUpdatedTimestamp: num(row.last_updated_time),
      description: strOrNull(row.description),
      latestVersions: latest.get(id) ?? [],
      tags: tags.get(id) ?? [],
      aliases: aliases.get(id) ?? [],
      owner: strOrNull(row.owner),
    };
  });
}

async function aliasesOf(runner: SqlRunner, modelIds: number[]): Promise<AliasesByModel> {
  const aliases: AliasesByModel = new Map();
  for (const part of chunk([...new Set(modelIds)], IN_CHUNK)) {
    const rows = await runner.select(
      `SELECT registered_model_id, alias, version FROM registered_model_aliases WHERE registered_model_id IN (${placeholders(part.length)}) ORDER BY registered_model_id, alias`,
      part,
    );
    for (const row of rows) {
      push(aliases, num(row.registered_model_id), {
        alias: str(row.alias),
        version: String(num(row.version)),
      });
    }
  }
  return aliases;
}

/**
 * The highest live version per stage of each model, in MLflow's order: MLflow walks the versions
 * by number and keeps the first-seen position of each stage, i.e. stages ordered by their lowest
 * live version.
 */
async function latestVersions(
  runner: SqlRunner,
  modelIds: number[],
  aliases: AliasesByModel,
): Promise<Map<number, ModelVersion[]>> {
  const rows: Row[] = [];
  for (const part of chunk(modelIds, IN_CHUNK)) {
    rows.push(
      ...(await runner.select(
        `SELECT ${MV_COLUMNS} FROM ${MV_FROM} JOIN (SELECT registered_model_id, current_stage, MIN(version) AS first_version, MAX(version) AS latest_version FROM model_versions WHERE registered_model_id IN (${placeholders(part.length)}) AND current_stage <> ? GROUP BY registered_model_id, current_stage) g ON g.registered_model_id = mv.registered_model_id AND g.latest_version = mv.version ORDER BY mv.registered_model_id, g.first_version`,
        [...part, DELETED_STAGE],
      )),
    );
  }
  const versions = await hydrateVersions(runner, rows, aliases);
  const byModel = new Map<number, ModelVersion[]>();
  rows.forEach((row, i) => push(byModel, num(row.registered_model_id), versions[i]));
  return byModel;
}

/** Versions with their tags and aliases, in the order of `rows`. */
async function hydrateVersions(
  runner: SqlRunner,
  rows: Row[],
  knownAliases?: AliasesByModel,
): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const keyOf = (modelId: number, version: number) => `${modelId}:${version}`;
  const pairs = rows.map((r) => [num(r.registered_model_id), num(r.version)] as const);
  const tags = new Map<string, KeyValue[]>();
  for (const part of chunk(pairs, IN_CHUNK)) {
    const condition = part.map(() => '(registered_model_id = ? AND version = ?)').join(' OR ');
    const tagRows = await runner.select(
      `SELECT registered_model_id, version, ${q('key')} AS k, ${q('value')} AS v FROM model_version_tags WHERE ${condition} ORDER BY registered_model_id, version, ${q('key')}`,
      part.flat(),
    );
    for (const row of tagRows) {
      push(tags, keyOf(num(row.registered_model_id), num(row.version)), {
        key: str(row.k),
        value: str(row.v),
      });
    }
  }
  const aliases =
    knownAliases ??
    (await aliasesOf(
      runner,
      pairs.map(([id]) => id),
    ));
  return rows.map((row) => {
    const modelId = num(row.registered_model_id);
    const version = num(row.version);
    return {
      name: str(row.name),
      version: String(version),
      creationTimestamp: num(row.creation_time),
      lastUpdatedTimestamp: num(row.last_updated_time),
      userId: strOrNull(row.user_id),
      currentStage: toStage(row.current_stage),
      description: strOrNull(row.description),
      source: str(row.source),
      storageLocation: str(row.storage_location),
      runId: strOrNull(row.run_id),
      runLink: strOrNull(row.run_link),
      status: toStatus(row.status),
      statusMessage: strOrNull(row.status_message),
      tags: tags.get(keyOf(modelId, version)) ?? [],
      aliases: (aliases.get(modelId) ?? [])
        .filter((a) => a.version === String(version))
        .map((a) => a.alias),
      modelId: strOrNull(row.model_id),
    };
  });
}

async function upsertModelTags(tx: SqlRunner, modelId: number, tags: KeyValue[]): Promise<void> {
  if (tags.length === 0) return;
  await tx.execute(
    `INSERT INTO registered_model_tags (registered_model_id, ${q('key')}, ${q('value')}) VALUES ${tags
      .map(() => '(?, ?, ?)')
      .join(', ')} ${tx.dialect.upsert(['registered_model_id', 'key'], ['value'])}`,
    tags.flatMap((t) => [modelId, t.key, t.value]),
  );
}

async function upsertVersionTags(
  tx: SqlRunner,
  modelId: number,
  version: number,
  tags: KeyValue[],
): Promise<void> {
  if (tags.length === 0) return;
  await tx.execute(
    `INSERT INTO model_version_tags (registered_model_id, version, ${q('key')}, ${q('value')}) VALUES ${tags
      .map(() => '(?, ?, ?, ?)')
      .join(', ')} ${tx.dialect.upsert(['registered_model_id', 'version', 'key'], ['value'])}`,
    tags.flatMap((t) => [modelId, version, t.key, t.value]),
  );
}

/**
 * Excludes prompts: models with a `mlflow.prompt.is_prompt = 'true'` tag in `table`. For versions
 * MLflow looks at the version tags of the whole model (its anti-join is on the model name).
 */
/** The client's filter and order on a registry search, and the prompt exclusion MLflow adds. */
function registrySearch(
  columns: SearchColumns,
  query: SearchRegistryQuery,
  tagTable: 'registered_model_tags' | 'model_version_tags',
  search = new SearchStatement(),
): SearchStatement {
  for (const clause of query.filter) {
    if (clause.type === 'param' || !search.filterBy(columns, clause)) {
      throw unsupported(`${clause.type}.${clause.key}`);
    }
  }
  if (!query.includePrompts) {
    search.require(
      `NOT EXISTS (SELECT 1 FROM ${tagTable} pt WHERE pt.registered_model_id = rm.id AND pt.${q('key')} = ? AND pt.${q('value')} = ?)`,
      [PROMPT_TAG_KEY, 'true'],
    );
  }
  requireReadableRegisteredModel(search, query.readableBy, 'rm.id');
  for (const clause of query.orderBy) {
    if (clause.type !== 'attribute' || !search.sortBy(columns, clause)) {
      throw unsupported(`order_by ${clause.type}.${clause.key}`);
    }
  }
  return search;
}

function toStage(value: unknown): ModelStage {
  return MODEL_STAGES.find((s) => s === value) ?? 'None';
}

function toStatus(value: unknown): ModelVersionStatus {
  return MODEL_VERSION_STATUSES.find((s) => s === value) ?? 'READY';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Binary (code unit) order, as utf8mb4_bin and SQLite's BINARY collation sort. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

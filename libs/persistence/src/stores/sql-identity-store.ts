import {
  ApiToken,
  AuditEvent,
  AuditQuery,
  AuditResourceType,
  ExperimentGrant,
  IdentityStore,
  MlflowError,
  NewApiToken,
  NewAuditEvent,
  NewUser,
  Permission,
  RegisteredModelGrant,
  ResolvedExperiment,
  ResolvedRegisteredModel,
  User,
  UserCredentials,
} from '@app/domain';

import { Row, SqlExecutor, SqlRunner } from '../sql-executor';
import { num, str, strOrNull } from './sql-helpers';

const USER_COLUMNS = 'u.id, u.username, u.password_hash, u.is_admin';
const TOKEN_COLUMNS =
  't.id, t.user_id, t.name, t.experiment_id, t.creation_time, t.expiration_time, t.last_used_time, t.revoked_time';
const AUDIT_COLUMNS =
  'a.id, a.time, a.username, a.client_address, a.action, a.resource_type, a.resource_id, a.experiment_id, a.registered_model_id, a.detail';

/** Experiment ids are integers in the store; anything else names no experiment. */
const INTEGER_ID = /^(0|[1-9]\d{0,9})$/;

function userNotFound(username: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`User with username=${username} not found`);
}

function toUser(row: Row): UserCredentials {
  return {
    id: num(row.id),
    username: str(row.username),
    passwordHash: strOrNull(row.password_hash),
    isAdmin: num(row.is_admin) === 1,
  };
}

function publicUser(user: UserCredentials): User {
  return { id: user.id, username: user.username, isAdmin: user.isAdmin };
}

function optionalNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

function toToken(row: Row): ApiToken {
  return {
    id: num(row.id),
    userId: num(row.user_id),
    name: str(row.name),
    experimentId: row.experiment_id === null ? null : str(row.experiment_id),
    creationTime: num(row.creation_time),
    expirationTime: optionalNumber(row.expiration_time),
    lastUsedTime: optionalNumber(row.last_used_time),
    revokedTime: optionalNumber(row.revoked_time),
  };
}

function toAuditEvent(row: Row): AuditEvent {
  return {
    id: num(row.id),
    time: num(row.time),
    username: str(row.username),
    clientAddress: str(row.client_address),
    action: str(row.action),
    resourceType: str(row.resource_type) as AuditResourceType,
    resourceId: str(row.resource_id),
    experimentId: row.experiment_id === null ? null : str(row.experiment_id),
    registeredModelId: optionalNumber(row.registered_model_id),
    detail: strOrNull(row.detail),
  };
}

function permissionOf(row: Row | undefined): Permission {
  const value = row?.permission;
  return value === null || value === undefined ? 'NO_PERMISSIONS' : (str(value) as Permission);
}

/** MySQL and SQLite implementation of the identity port over the shared executor. */
export class SqlIdentityStore extends IdentityStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async countUsers(): Promise<number> {
    const [row] = await this.sql.select('SELECT COUNT(*) AS n FROM users');
    return num(row.n);
  }

  async createUser(user: NewUser): Promise<User> {
    try {
      const { insertId } = await this.sql.execute(
        'INSERT INTO users (username, password_hash, is_admin, creation_time) VALUES (?, ?, ?, ?)',
        [user.username, user.passwordHash, user.isAdmin, Date.now()],
      );
      return { id: insertId, username: user.username, isAdmin: user.isAdmin };
    } catch (error) {
      // A fixed message: MLflow's echoes the INSERT with the password hash (reference §10.15).
      if (this.sql.dialect.classifyError(error) === 'duplicate-key') {
        throw MlflowError.resourceAlreadyExists(`User '${user.username}' already exists.`);
      }
      throw error;
    }
  }

  async findUser(username: string): Promise<UserCredentials | null> {
    const rows = await this.sql.select(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = ?`, [
      username,
    ]);
    return rows.length ? toUser(rows[0]) : null;
  }

  async findUserById(userId: number): Promise<UserCredentials | null> {
    const rows = await this.sql.select(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`, [
      userId,
    ]);
    return rows.length ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.sql.select(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.username`);
    return rows.map((row) => publicUser(toUser(row)));
  }

  async updatePassword(username: string, passwordHash: string): Promise<User> {
    return this.updateUser(username, 'password_hash = ?', passwordHash);
  }

  async updateAdmin(username: string, isAdmin: boolean): Promise<User> {
    return this.updateUser(username, 'is_admin = ?', isAdmin);
  }

  async deleteUser(username: string): Promise<User> {
    return this.sql.transaction(async (tx) => {
      const user = await requireUser(tx, username);
      for (const table of [
        'experiment_permissions',
        'registered_model_permissions',
        'api_tokens',
      ]) {
        await tx.execute(`DELETE FROM ${table} WHERE user_id = ?`, [user.id]);
      }
      await tx.execute('DELETE FROM users WHERE id = ?', [user.id]);
      return publicUser(user);
    });
  }

  async createToken(token: NewApiToken): Promise<ApiToken> {
    const now = Date.now();
    const { insertId } = await this.sql.execute(
      'INSERT INTO api_tokens (user_id, name, secret_hash, experiment_id, creation_time, expiration_time) VALUES (?, ?, ?, ?, ?, ?)',
      [
        token.userId,
        token.name,
        token.secretHash,
        token.experimentId === null ? null : Number(token.experimentId),
        now,
        token.expirationTime,
      ],
    );
    return {
      id: insertId,
      userId: token.userId,
      name: token.name,
      experimentId: token.experimentId,
      creationTime: now,
      expirationTime: token.expirationTime,
      lastUsedTime: null,
      revokedTime: null,
    };
  }

  async findToken(secretHash: string): Promise<{ token: ApiToken; user: User } | null> {
    const rows = await this.sql.select(
      `SELECT ${TOKEN_COLUMNS}, u.username, u.is_admin FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = ?`,
      [secretHash],
    );
    if (!rows.length) return null;
    const token = toToken(rows[0]);
    return {
      token,
      user: {
        id: token.userId,
        username: str(rows[0].username),
        isAdmin: num(rows[0].is_admin) === 1,
      },
    };
  }

  async listTokens(userId: number): Promise<ApiToken[]> {
    const rows = await this.sql.select(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = ? ORDER BY t.id`,
      [userId],
    );
    return rows.map(toToken);
  }

  async getToken(tokenId: number): Promise<ApiToken | null> {
    const rows = await this.sql.select(`SELECT ${TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = ?`, [
      tokenId,
    ]);
    return rows.length ? toToken(rows[0]) : null;
  }

  async revokeToken(tokenId: number, time: number): Promise<ApiToken | null> {
    await this.sql.execute(
      'UPDATE api_tokens SET revoked_time = ? WHERE id = ? AND revoked_time IS NULL',
      [time, tokenId],
    );
    return this.getToken(tokenId);
  }

  async recordTokenUse(tokenId: number, time: number): Promise<void> {
    await this.sql.execute('UPDATE api_tokens SET last_used_time = ? WHERE id = ?', [
      time,
      tokenId,
    ]);
  }

  async resolveExperiment(
    experimentId: string,
    userId: number,
  ): Promise<ResolvedExperiment | null> {
    if (!INTEGER_ID.test(experimentId)) return null;
    const rows = await this.sql.select(
      'SELECT e.experiment_id, p.permission FROM experiments e LEFT JOIN experiment_permissions p ON p.experiment_id = e.experiment_id AND p.user_id = ? WHERE e.experiment_id = ?',
      [userId, Number(experimentId)],
    );
    return rows.length ? resolvedExperiment(rows[0]) : null;
  }

  async resolveExperimentByName(name: string, userId: number): Promise<ResolvedExperiment | null> {
    const rows = await this.sql.select(
      'SELECT e.experiment_id, p.permission FROM experiments e LEFT JOIN experiment_permissions p ON p.experiment_id = e.experiment_id AND p.user_id = ? WHERE e.name = ?',
      [userId, name],
    );
    return rows.length ? resolvedExperiment(rows[0]) : null;
  }

  async resolveRun(runId: string, userId: number): Promise<ResolvedExperiment | null> {
    const rows = await this.sql.select(
      'SELECT r.experiment_id, p.permission FROM runs r LEFT JOIN experiment_permissions p ON p.experiment_id = r.experiment_id AND p.user_id = ? WHERE r.run_uuid = ?',
      [userId, runId],
    );
    return rows.length ? resolvedExperiment(rows[0]) : null;
  }

  async resolveLoggedModel(modelId: string, userId: number): Promise<ResolvedExperiment | null> {
    const rows = await this.sql.select(
      'SELECT m.experiment_id, p.permission FROM logged_models m LEFT JOIN experiment_permissions p ON p.experiment_id = m.experiment_id AND p.user_id = ? WHERE m.model_id = ?',
      [userId, modelId],
    );
    return rows.length ? resolvedExperiment(rows[0]) : null;
  }

  async resolveTrace(requestId: string, userId: number): Promise<ResolvedExperiment | null> {
    const rows = await this.sql.select(
      'SELECT t.experiment_id, p.permission FROM trace_info t LEFT JOIN experiment_permissions p ON p.experiment_id = t.experiment_id AND p.user_id = ? WHERE t.request_id = ?',
      [userId, requestId],
    );
    return rows.length ? resolvedExperiment(rows[0]) : null;
  }

  async resolveRegisteredModel(
    name: string,
    userId: number,
  ): Promise<ResolvedRegisteredModel | null> {
    const rows = await this.sql.select(
      'SELECT rm.id, p.permission FROM registered_models rm LEFT JOIN registered_model_permissions p ON p.registered_model_id = rm.id AND p.user_id = ? WHERE rm.name = ?',
      [userId, name],
    );
    return rows.length
      ? { registeredModelId: num(rows[0].id), permission: permissionOf(rows[0]) }
      : null;
  }

  async experimentGrants(experimentId: string): Promise<ExperimentGrant[]> {
    const rows = await this.sql.select(
      'SELECT p.experiment_id, p.user_id, u.username, p.permission FROM experiment_permissions p JOIN users u ON u.id = p.user_id WHERE p.experiment_id = ? ORDER BY u.username',
      [Number(experimentId)],
    );
    return rows.map(toExperimentGrant);
  }

  async registeredModelGrants(registeredModelId: number): Promise<RegisteredModelGrant[]> {
    const rows = await this.sql.select(
      'SELECT p.registered_model_id, rm.name, p.user_id, u.username, p.permission FROM registered_model_permissions p JOIN users u ON u.id = p.user_id JOIN registered_models rm ON rm.id = p.registered_model_id WHERE p.registered_model_id = ? ORDER BY u.username',
      [registeredModelId],
    );
    return rows.map(toRegisteredModelGrant);
  }

  async grantsOfUser(
    userId: number,
  ): Promise<{ experiments: ExperimentGrant[]; registeredModels: RegisteredModelGrant[] }> {
    const [experiments, models] = await Promise.all([
      this.sql.select(
        'SELECT p.experiment_id, p.user_id, u.username, p.permission FROM experiment_permissions p JOIN users u ON u.id = p.user_id WHERE p.user_id = ? ORDER BY p.experiment_id',
        [userId],
      ),
      this.sql.select(
        'SELECT p.registered_model_id, rm.name, p.user_id, u.username, p.permission FROM registered_model_permissions p JOIN users u ON u.id = p.user_id JOIN registered_models rm ON rm.id = p.registered_model_id WHERE p.user_id = ? ORDER BY rm.name',
        [userId],
      ),
    ]);
    return {
      experiments: experiments.map(toExperimentGrant),
      registeredModels: models.map(toRegisteredModelGrant),
    };
  }

  createExperimentGrant(
    experimentId: string,
    userId: number,
    permission: Permission,
  ): Promise<void> {
    return this.insertGrant(
      'experiment_permissions',
      'experiment_id',
      Number(experimentId),
      userId,
      permission,
    );
  }

  updateExperimentGrant(
    experimentId: string,
    userId: number,
    permission: Permission,
  ): Promise<void> {
    return this.updateGrant(
      'experiment_permissions',
      'experiment_id',
      Number(experimentId),
      userId,
      permission,
    );
  }

  deleteExperimentGrant(experimentId: string, userId: number): Promise<void> {
    return this.deleteGrant(
      'experiment_permissions',
      'experiment_id',
      Number(experimentId),
      userId,
    );
  }

  createRegisteredModelGrant(
    registeredModelId: number,
    userId: number,
    permission: Permission,
  ): Promise<void> {
    return this.insertGrant(
      'registered_model_permissions',
      'registered_model_id',
      registeredModelId,
      userId,
      permission,
    );
  }

  updateRegisteredModelGrant(
    registeredModelId: number,
    userId: number,
    permission: Permission,
  ): Promise<void> {
    return this.updateGrant(
      'registered_model_permissions',
      'registered_model_id',
      registeredModelId,
      userId,
      permission,
    );
  }

  deleteRegisteredModelGrant(registeredModelId: number, userId: number): Promise<void> {
    return this.deleteGrant(
      'registered_model_permissions',
      'registered_model_id',
      registeredModelId,
      userId,
    );
  }

  async recordAudit(event: NewAuditEvent): Promise<void> {
    await this.sql.execute(
      'INSERT INTO audit_events (time, username, client_address, action, resource_type, resource_id, experiment_id, registered_model_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        event.time,
        event.username,
        event.clientAddress.slice(0, 64),
        event.action,
        event.resourceType,
        event.resourceId.slice(0, 256),
        event.experimentId === null ? null : Number(event.experimentId),
        event.registeredModelId,
        event.detail,
      ],
    );
  }

  async searchAudit(query: AuditQuery): Promise<{ items: AuditEvent[]; hasMore: boolean }> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.readableByUserId !== null) {
      // Events on what the caller manages, and the caller's own actions.
      where.push(
        `(a.experiment_id IN (SELECT experiment_id FROM experiment_permissions WHERE user_id = ? AND permission = 'MANAGE') OR a.registered_model_id IN (SELECT registered_model_id FROM registered_model_permissions WHERE user_id = ? AND permission = 'MANAGE') OR a.username = (SELECT username FROM users WHERE id = ?))`,
      );
      params.push(query.readableByUserId, query.readableByUserId, query.readableByUserId);
    }
    if (query.resourceType !== undefined) {
      where.push('a.resource_type = ?');
      params.push(query.resourceType);
    }
    if (query.resourceId !== undefined) {
      where.push('a.resource_id = ?');
      params.push(query.resourceId);
    }
    const rows = await this.sql.select(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events a${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ? OFFSET ?`,
      [...params, query.maxResults + 1, query.offset],
    );
    return {
      items: rows.slice(0, query.maxResults).map(toAuditEvent),
      hasMore: rows.length > query.maxResults,
    };
  }

  private async updateUser(
    username: string,
    assignment: string,
    value: string | boolean,
  ): Promise<User> {
    return this.sql.transaction(async (tx) => {
      const user = await requireUser(tx, username);
      await tx.execute(`UPDATE users SET ${assignment} WHERE id = ?`, [value, user.id]);
      return publicUser(user);
    });
  }

  private async insertGrant(
    table: string,
    column: string,
    resourceId: number,
    userId: number,
    permission: Permission,
  ): Promise<void> {
    try {
      await this.sql.execute(
        `INSERT INTO ${table} (${column}, user_id, permission) VALUES (?, ?, ?)`,
        [resourceId, userId, permission],
      );
    } catch (error) {
      if (this.sql.dialect.classifyError(error) === 'duplicate-key') {
        throw MlflowError.resourceAlreadyExists(
          'That user already holds a permission on this resource.',
        );
      }
      throw error;
    }
  }

  private async updateGrant(
    table: string,
    column: string,
    resourceId: number,
    userId: number,
    permission: Permission,
  ): Promise<void> {
    const { affectedRows } = await this.sql.execute(
      `UPDATE ${table} SET permission = ? WHERE ${column} = ? AND user_id = ?`,
      [permission, resourceId, userId],
    );
    if (affectedRows === 0) throw grantNotFound();
  }

  private async deleteGrant(
    table: string,
    column: string,
    resourceId: number,
    userId: number,
  ): Promise<void> {
    const { affectedRows } = await this.sql.execute(
      `DELETE FROM ${table} WHERE ${column} = ? AND user_id = ?`,
      [resourceId, userId],
    );
    if (affectedRows === 0) throw grantNotFound();
  }
}

function grantNotFound(): MlflowError {
  return MlflowError.resourceDoesNotExist('No permission of that user on this resource exists.');
}

async function requireUser(tx: SqlRunner, username: string): Promise<UserCredentials> {
  const rows = await tx.select(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = ?`, [
    username,
  ]);
  if (!rows.length) throw userNotFound(username);
  return toUser(rows[0]);
}

function resolvedExperiment(row: Row): ResolvedExperiment {
  return { experimentId: str(row.experiment_id), permission: permissionOf(row) };
}

function toExperimentGrant(row: Row): ExperimentGrant {
  return {
    experimentId: str(row.experiment_id),
    userId: num(row.user_id),
    username: str(row.username),
    permission: permissionOf(row),
  };
}

function toRegisteredModelGrant(row: Row): RegisteredModelGrant {
  return {
    registeredModelId: num(row.registered_model_id),
    name: str(row.name),
    userId: num(row.user_id),
    username: str(row.username),
    permission: permissionOf(row),
  };
}

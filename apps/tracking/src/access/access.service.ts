import { Injectable, Logger } from '@nestjs/common';

import {
  ApiToken,
  AuditEvent,
  AuditResourceType,
  decodePageToken,
  encodePageToken,
  ExperimentGrant,
  experimentNotFound,
  IdentityStore,
  MlflowError,
  ownerOf,
  parsePermission,
  Permission,
  Principal,
  RegisteredModelGrant,
  registeredModelNotFound,
  User,
  UserCredentials,
  validateNewPassword,
  validateUsername,
} from '@app/domain';
import {
  AccessChecker,
  Authenticator,
  hashPassword,
  newTokenSecret,
  tokenSecretHash,
} from '@app/http';

import { DEFAULT_AUDIT_RESULTS } from './access.dto';

/** Who asks, and from where: every change is written to the audit log with both. */
export interface Actor {
  caller: Principal;
  clientAddress: string;
}

export interface UserWithGrants {
  user: User;
  grants: { experiments: ExperimentGrant[]; registeredModels: RegisteredModelGrant[] };
}

export interface NewToken {
  name: string;
  experimentId?: string;
  expiresInSeconds?: number;
}

export interface AuditSearch {
  resourceType?: AuditResourceType;
  resourceId?: string;
  maxResults?: number;
  pageToken?: string;
}

const MAX_TOKEN_NAME_LENGTH = 255;

function userNotFound(username: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`User with username=${username} not found`);
}

function tokenNotFound(tokenId: number): MlflowError {
  return MlflowError.resourceDoesNotExist(`API token with id=${tokenId} not found`);
}

function isNotFound(error: unknown): boolean {
  return error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST';
}

/**
 * MLflow's basic-auth API (users and per-resource grants) plus API tokens and the audit log.
 * The access guard has already checked the route's policy (admin, self, MANAGE on the resource);
 * what is left here is what no policy can say: that the named user and resource exist, that
 * the last administrator stays, that a token's scope is one the caller may write. Every change
 * drops the cached credentials it affects and is recorded in the audit log.
 */
@Injectable()
export class AccessService {
  private readonly logger = new Logger('AccessService');

  constructor(
    private readonly identity: IdentityStore,
    private readonly authenticator: Authenticator,
    private readonly checker: AccessChecker,
  ) {}

  async createUser(actor: Actor, username: string, password: string): Promise<UserWithGrants> {
    validateUsername(username);
    validateNewPassword(password, username);
    const user = await this.identity.createUser({
      username,
      passwordHash: await hashPassword(password),
      isAdmin: false,
    });
    await this.audit(actor, 'user.create', 'user', username);
    return { user, grants: { experiments: [], registeredModels: [] } };
  }

  async getUser(username: string): Promise<UserWithGrants> {
    const user = await this.requireUser(username);
    return { user, grants: await this.identity.grantsOfUser(user.id) };
  }

  listUsers(): Promise<User[]> {
    return this.identity.listUsers();
  }

  async updatePassword(actor: Actor, username: string, password: string): Promise<void> {
    validateNewPassword(password, username);
    const user = await this.identity.updatePassword(username, await hashPassword(password));
    this.authenticator.forgetUser(user.id);
    this.checker.forgetPermissions();
    await this.audit(actor, 'user.update_password', 'user', username);
  }

  async updateAdmin(actor: Actor, username: string, isAdmin: boolean): Promise<void> {
    const user = await this.requireUser(username);
    if (user.isAdmin && !isAdmin) await this.refuseIfLastAdmin(user, 'remove the admin flag of');
    await this.identity.updateAdmin(username, isAdmin);
    this.authenticator.forgetUser(user.id);
    this.checker.forgetPermissions();
    await this.audit(actor, 'user.update_admin', 'user', username, { is_admin: isAdmin });
  }

  async deleteUser(actor: Actor, username: string): Promise<void> {
    const user = await this.requireUser(username);
    if (user.isAdmin) await this.refuseIfLastAdmin(user, 'delete');
    await this.identity.deleteUser(username);
    this.authenticator.forgetUser(user.id);
    this.checker.forgetPermissions();
    await this.audit(actor, 'user.delete', 'user', username);
  }

  async createExperimentPermission(
    actor: Actor,
    experimentId: string,
    username: string,
    permissionName: string,
  ): Promise<ExperimentGrant> {
    const permission = parsePermission(permissionName);
    const user = await this.requireUser(username);
    const id = await this.requireExperiment(experimentId, user.id);
    await this.identity.createExperimentGrant(id, user.id, permission);
    this.checker.forgetPermissions();
    await this.auditExperimentGrant(actor, 'permission.create', id, username, permission);
    return { experimentId: id, userId: user.id, username: user.username, permission };
  }

  async getExperimentPermission(experimentId: string, username: string): Promise<ExperimentGrant> {
    const user = await this.requireUser(username);
    const id = await this.requireExperiment(experimentId, user.id);
    const grant = (await this.identity.experimentGrants(id)).find((g) => g.userId === user.id);
    if (!grant) throw experimentGrantNotFound(id, username);
    return grant;
  }

  async listExperimentPermissions(experimentId: string): Promise<ExperimentGrant[]> {
    const id = await this.requireExperiment(experimentId, 0);
    return this.identity.experimentGrants(id);
  }

  async updateExperimentPermission(
    actor: Actor,
    experimentId: string,
    username: string,
    permissionName: string,
  ): Promise<void> {
    const permission = parsePermission(permissionName);
    const user = await this.requireUser(username);
    const id = await this.requireExperiment(experimentId, user.id);
    await this.orIfMissing(this.identity.updateExperimentGrant(id, user.id, permission), () =>
      experimentGrantNotFound(id, username),
    );
    this.checker.forgetPermissions();
    await this.auditExperimentGrant(actor, 'permission.update', id, username, permission);
  }

  async deleteExperimentPermission(
    actor: Actor,
    experimentId: string,
    username: string,
  ): Promise<void> {
    const user = await this.requireUser(username);
    const id = await this.requireExperiment(experimentId, user.id);
    await this.orIfMissing(this.identity.deleteExperimentGrant(id, user.id), () =>
      experimentGrantNotFound(id, username),
    );
    this.checker.forgetPermissions();
    await this.auditExperimentGrant(actor, 'permission.delete', id, username);
  }

  async createRegisteredModelPermission(
    actor: Actor,
    name: string,
    username: string,
    permissionName: string,
  ): Promise<RegisteredModelGrant> {
    const permission = parsePermission(permissionName);
    const user = await this.requireUser(username);
    const modelId = await this.requireRegisteredModel(name, user.id);
    await this.identity.createRegisteredModelGrant(modelId, user.id, permission);
    await this.auditModelGrant(actor, 'permission.create', name, modelId, username, permission);
    return {
      registeredModelId: modelId,
      name,
      userId: user.id,
      username: user.username,
      permission,
    };
  }

  async getRegisteredModelPermission(
    name: string,
    username: string,
  ): Promise<RegisteredModelGrant> {
    const user = await this.requireUser(username);
    const modelId = await this.requireRegisteredModel(name, user.id);
    const grants = await this.identity.registeredModelGrants(modelId);
    const grant = grants.find((g) => g.userId === user.id);
    if (!grant) throw modelGrantNotFound(name, username);
    return grant;
  }

  async listRegisteredModelPermissions(name: string): Promise<RegisteredModelGrant[]> {
    return this.identity.registeredModelGrants(await this.requireRegisteredModel(name, 0));
  }

  async updateRegisteredModelPermission(
    actor: Actor,
    name: string,
    username: string,
    permissionName: string,
  ): Promise<void> {
    const permission = parsePermission(permissionName);
    const user = await this.requireUser(username);
    const modelId = await this.requireRegisteredModel(name, user.id);
    await this.orIfMissing(
      this.identity.updateRegisteredModelGrant(modelId, user.id, permission),
      () => modelGrantNotFound(name, username),
    );
    await this.auditModelGrant(actor, 'permission.update', name, modelId, username, permission);
  }

  async deleteRegisteredModelPermission(
    actor: Actor,
    name: string,
    username: string,
  ): Promise<void> {
    const user = await this.requireUser(username);
    const modelId = await this.requireRegisteredModel(name, user.id);
    await this.orIfMissing(this.identity.deleteRegisteredModelGrant(modelId, user.id), () =>
      modelGrantNotFound(name, username),
    );
    await this.auditModelGrant(actor, 'permission.delete', name, modelId, username);
  }

  /**
   * A new API token of the caller, and its secret, which exists only in this return value: the
   * store keeps its SHA-256. A scope needs EDIT on that experiment, the most a scoped token can
   * ever do there.
   */
  async createToken(actor: Actor, request: NewToken): Promise<{ token: ApiToken; secret: string }> {
    const { caller } = actor;
    if (!ownerOf(caller)) {
      throw MlflowError.invalidState(
        'API tokens need a signed-in user: authentication is off (AUTH_MODE=none).',
      );
    }
    if (request.name.length > MAX_TOKEN_NAME_LENGTH) {
      throw MlflowError.invalidParameterValue(
        `Token name must be 1 to ${MAX_TOKEN_NAME_LENGTH} characters long.`,
      );
    }
    let experimentId: string | null = null;
    if (request.experimentId !== undefined && request.experimentId !== '') {
      await this.checker.experiment(caller, request.experimentId, 'update');
      experimentId = await this.requireExperiment(request.experimentId, caller.userId);
    }
    const secret = newTokenSecret();
    const token = await this.identity.createToken({
      userId: caller.userId,
      name: request.name,
      secretHash: tokenSecretHash(secret),
      experimentId,
      expirationTime:
        request.expiresInSeconds === undefined
          ? null
          : Date.now() + request.expiresInSeconds * 1000,
    });
    await this.audit(
      actor,
      'token.create',
      'token',
      String(token.id),
      { name: token.name },
      { experimentId: experimentId ?? undefined },
    );
    return { token, secret };
  }

  listTokens(caller: Principal): Promise<ApiToken[]> {
    return this.identity.listTokens(caller.userId);
  }

  /** Another user's token is answered like a missing one, unless the caller is an admin. */
  async revokeToken(actor: Actor, tokenId: number): Promise<void> {
    const { caller } = actor;
    const token = await this.identity.getToken(tokenId);
    if (!token || (token.userId !== caller.userId && !caller.isAdmin)) {
      throw tokenNotFound(tokenId);
    }
    if (token.revokedTime === null) {
      await this.identity.revokeToken(tokenId, Date.now());
      await this.audit(
        actor,
        'token.revoke',
        'token',
        String(tokenId),
        { name: token.name },
        { experimentId: token.experimentId ?? undefined },
      );
    }
    this.authenticator.forgetToken(tokenId);
  }

  /** Admins read every event; others those on what they manage and their own actions. */
  async searchAudit(
    caller: Principal,
    search: AuditSearch,
  ): Promise<{ events: AuditEvent[]; nextPageToken?: string }> {
    const offset = decodePageToken(search.pageToken);
    const maxResults = search.maxResults ?? DEFAULT_AUDIT_RESULTS;
    const page = await this.identity.searchAudit({
      readableByUserId: caller.isAdmin && !caller.scope ? null : caller.userId,
      resourceType: search.resourceType,
      resourceId: search.resourceId === '' ? undefined : search.resourceId,
      maxResults,
      offset,
    });
    return {
      events: page.items,
      ...(page.hasMore ? { nextPageToken: encodePageToken(offset + page.items.length) } : {}),
    };
  }

  private async requireUser(username: string): Promise<UserCredentials> {
    const user = await this.identity.findUser(username);
    if (!user) throw userNotFound(username);
    return user;
  }

  /**
   * The experiment must exist: a grant on an id not yet handed out would apply to whatever
   * experiment gets it later. (The guard has checked it for non-admins already.)
   */
  private async requireExperiment(experimentId: string, userId: number): Promise<string> {
    const resolved = await this.identity.resolveExperiment(experimentId, userId);
    if (!resolved) throw experimentNotFound(experimentId);
    return resolved.experimentId;
  }

  /** Grants follow the model's immutable id, never its name (MLflow leak, reference §10.12). */
  private async requireRegisteredModel(name: string, userId: number): Promise<number> {
    const resolved = await this.identity.resolveRegisteredModel(name, userId);
    if (!resolved) throw registeredModelNotFound(name);
    return resolved.registeredModelId;
  }

  private async refuseIfLastAdmin(user: User, what: string): Promise<void> {
    const admins = (await this.identity.listUsers()).filter((u) => u.isAdmin);
    if (admins.length <= 1) {
      throw MlflowError.invalidState(
        `Cannot ${what} '${user.username}': it is the last administrator. Make another user an administrator first.`,
      );
    }
  }

  private async orIfMissing(write: Promise<void>, notFound: () => MlflowError): Promise<void> {
    try {
      await write;
    } catch (error) {
      throw isNotFound(error) ? notFound() : error;
    }
  }

  private auditExperimentGrant(
    actor: Actor,
    action: string,
    experimentId: string,
    username: string,
    permission?: Permission,
  ): Promise<void> {
    return this.audit(
      actor,
      action,
      'experiment',
      experimentId,
      { username, ...(permission ? { permission } : {}) },
      { experimentId },
    );
  }

  private auditModelGrant(
    actor: Actor,
    action: string,
    name: string,
    registeredModelId: number,
    username: string,
    permission?: Permission,
  ): Promise<void> {
    return this.audit(
      actor,
      action,
      'registered_model',
      name,
      { username, ...(permission ? { permission } : {}) },
      { registeredModelId },
    );
  }

  /**
   * The change has been made when this runs: a failing audit write is logged, not answered as
   * an error that would tell the client its change did not happen (MLflow's §10.17 mistake).
   */
  private async audit(
    { caller, clientAddress }: Actor,
    action: string,
    resourceType: AuditResourceType,
    resourceId: string,
    detail?: Record<string, unknown>,
    scope: { experimentId?: string; registeredModelId?: number } = {},
  ): Promise<void> {
    try {
      await this.identity.recordAudit({
        time: Date.now(),
        username: caller.username,
        clientAddress,
        action,
        resourceType,
        resourceId,
        experimentId: scope.experimentId ?? null,
        registeredModelId: scope.registeredModelId ?? null,
        detail: detail ? JSON.stringify(detail) : null,
      });
    } catch (error) {
      this.logger.error(
        `Could not record the audit event ${action} on ${resourceType} ${resourceId}: ${String(error)}`,
      );
    }
  }
}

function experimentGrantNotFound(experimentId: string, username: string): MlflowError {
  return MlflowError.resourceDoesNotExist(
    `Experiment permission with experiment_id=${experimentId} and username=${username} not found`,
  );
}

function modelGrantNotFound(name: string, username: string): MlflowError {
  return MlflowError.resourceDoesNotExist(
    `Registered model permission with name=${name} and username=${username} not found`,
  );
}

import {
  ApiToken,
  AuditEvent,
  AuditResourceType,
  ExperimentGrant,
  NewAuditEvent,
  Permission,
  RegisteredModelGrant,
  User,
  UserCredentials,
} from '../access';

export interface NewUser {
  username: string;
  /** Null for users that cannot sign in with a password (JWT subjects). */
  passwordHash: string | null;
  isAdmin: boolean;
}

export interface NewApiToken {
  userId: number;
  name: string;
  /** SHA-256 (hex) of the secret; the secret itself is never stored. */
  secretHash: string;
  experimentId: string | null;
  expirationTime: number | null;
}

/** The resource a request names, as the access check needs it; null when it does not exist. */
export interface ResolvedExperiment {
  readonly experimentId: string;
  /** The caller's level on it (NO_PERMISSIONS when no grant exists). */
  readonly permission: Permission;
}

export interface ResolvedRegisteredModel {
  readonly registeredModelId: number;
  readonly permission: Permission;
}

export interface AuditQuery {
  /** Null: every event (admins); else events on resources this user manages, or by them. */
  readableByUserId: number | null;
  resourceType?: AuditResourceType;
  resourceId?: string;
  maxResults: number;
  offset: number;
}

/**
 * Users, API tokens, permission grants and the audit log, in the backend store. Grants are keyed
 * by the resource's immutable id and the user's id; a resource's creator holds MANAGE, written by
 * the resource's own store in the create transaction. Errors are MlflowErrors with the auth app's
 * codes: a missing user is RESOURCE_DOES_NOT_EXIST "User with username=<name> not found".
 */
export abstract class IdentityStore {
  abstract countUsers(): Promise<number>;
  /** RESOURCE_ALREADY_EXISTS "User '<name>' already exists." when taken. */
  abstract createUser(user: NewUser): Promise<User>;
  abstract findUser(username: string): Promise<UserCredentials | null>;
  abstract findUserById(userId: number): Promise<UserCredentials | null>;
  abstract listUsers(): Promise<User[]>;
  abstract updatePassword(username: string, passwordHash: string): Promise<User>;
  abstract updateAdmin(username: string, isAdmin: boolean): Promise<User>;
  /** Removes the user, its grants and its tokens in one transaction. */
  abstract deleteUser(username: string): Promise<User>;

  abstract createToken(token: NewApiToken): Promise<ApiToken>;
  /** The token with this secret hash and its user, whatever its state (the caller checks it). */
  abstract findToken(secretHash: string): Promise<{ token: ApiToken; user: User } | null>;
  abstract listTokens(userId: number): Promise<ApiToken[]>;
  abstract getToken(tokenId: number): Promise<ApiToken | null>;
  /** Marks it revoked (idempotent); returns the token as it now is, null if it does not exist. */
  abstract revokeToken(tokenId: number, time: number): Promise<ApiToken | null>;
  abstract recordTokenUse(tokenId: number, time: number): Promise<void>;

  abstract resolveExperiment(
    experimentId: string,
    userId: number,
  ): Promise<ResolvedExperiment | null>;
  abstract resolveExperimentByName(
    name: string,
    userId: number,
  ): Promise<ResolvedExperiment | null>;
  abstract resolveRun(runId: string, userId: number): Promise<ResolvedExperiment | null>;
  abstract resolveLoggedModel(modelId: string, userId: number): Promise<ResolvedExperiment | null>;
  abstract resolveTrace(requestId: string, userId: number): Promise<ResolvedExperiment | null>;
  abstract resolveRegisteredModel(
    name: string,
    userId: number,
  ): Promise<ResolvedRegisteredModel | null>;

  abstract experimentGrants(experimentId: string): Promise<ExperimentGrant[]>;
  abstract registeredModelGrants(registeredModelId: number): Promise<RegisteredModelGrant[]>;
  abstract grantsOfUser(
    userId: number,
  ): Promise<{ experiments: ExperimentGrant[]; registeredModels: RegisteredModelGrant[] }>;
  /** RESOURCE_ALREADY_EXISTS when the user already holds a grant on it. */
  abstract createExperimentGrant(
    experimentId: string,
    userId: number,
    permission: Permission,
  ): Promise<void>;
  /** RESOURCE_DOES_NOT_EXIST when no grant exists. */
  abstract updateExperimentGrant(
    experimentId: string,
    userId: number,
    permission: Permission,
  ): Promise<void>;
  abstract deleteExperimentGrant(experimentId: string, userId: number): Promise<void>;
  abstract createRegisteredModelGrant(
    registeredModelId: number,
    userId: number,
    permission: Permission,
  ): Promise<void>;
  abstract updateRegisteredModelGrant(
    registeredModelId: number,
    userId: number,
    permission: Permission,
  ): Promise<void>;
  abstract deleteRegisteredModelGrant(registeredModelId: number, userId: number): Promise<void>;

  abstract recordAudit(event: NewAuditEvent): Promise<void>;
  abstract searchAudit(query: AuditQuery): Promise<{ items: AuditEvent[]; hasMore: boolean }>;
}

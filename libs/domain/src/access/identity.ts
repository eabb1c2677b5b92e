import { Permission } from './permissions';

export interface User {
  readonly id: number;
  readonly username: string;
  readonly isAdmin: boolean;
}

/** A user as the authenticator sees it: with its password hash (null: no password login). */
export interface UserCredentials extends User {
  readonly passwordHash: string | null;
}

export interface ApiToken {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  /** The one experiment a scoped (aggregator) token may write; null for a full token. */
  readonly experimentId: string | null;
  readonly creationTime: number;
  readonly expirationTime: number | null;
  readonly lastUsedTime: number | null;
  readonly revokedTime: number | null;
}

export interface ExperimentGrant {
  readonly experimentId: string;
  readonly userId: number;
  readonly username: string;
  readonly permission: Permission;
}

export interface RegisteredModelGrant {
  /** The model's immutable id; grants follow it through renames. */
  readonly registeredModelId: number;
  /** The model's current name. */
  readonly name: string;
  readonly userId: number;
  readonly username: string;
  readonly permission: Permission;
}

export const AUDIT_RESOURCE_TYPES = [
  'experiment',
  'run',
  'registered_model',
  'artifact',
  'user',
  'token',
] as const;
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];

export interface AuditEvent {
  readonly id: number;
  readonly time: number;
  readonly username: string;
  readonly clientAddress: string;
  readonly action: string;
  readonly resourceType: AuditResourceType;
  readonly resourceId: string;
  /** The experiment or registered model the event concerns, which decides who may read it. */
  readonly experimentId: string | null;
  readonly registeredModelId: number | null;
  readonly detail: string | null;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

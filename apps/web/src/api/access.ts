import { del, get, patch, post } from './client';

/** Users, permissions, API tokens and the audit log (MLflow's auth API plus the suite's tokens). */
const AUTH = '/api/2.0/mlflow';

export const PERMISSIONS = ['READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const AUDIT_RESOURCE_TYPES = [
  'experiment',
  'run',
  'registered_model',
  'artifact',
  'user',
  'token',
] as const;

export interface UserSummary {
  id: number;
  username: string;
  is_admin: boolean;
}

export interface User extends UserSummary {
  experiment_permissions: { experiment_id: string; user_id: number; permission: Permission }[];
  registered_model_permissions: { name: string; user_id: number; permission: Permission }[];
}

export interface ApiToken {
  id: number;
  name: string;
  experiment_id?: string;
  creation_time: number;
  expiration_time?: number;
  last_used_time?: number;
  revoked_time?: number;
}

export interface AuditEvent {
  id: number;
  time: number;
  username: string;
  client_address: string;
  action: string;
  resource_type: string;
  resource_id: string;
  experiment_id?: string;
  registered_model_id?: number;
  detail?: string;
}

export const accessApi = {
  listUsers: (signal?: AbortSignal) =>
    get<{ users?: UserSummary[] }>(`${AUTH}/users/list`, undefined, signal),
  getUser: (username: string, signal?: AbortSignal) =>
    get<{ user: User }>(`${AUTH}/users/get`, { username }, signal),
  createUser: (username: string, password: string) =>
    post<{ user: User }>(`${AUTH}/users/create`, { username, password }),
  updatePassword: (username: string, password: string) =>
    patch<object>(`${AUTH}/users/update-password`, { username, password }),
  updateAdmin: (username: string, isAdmin: boolean) =>
    patch<object>(`${AUTH}/users/update-admin`, { username, is_admin: isAdmin }),
  deleteUser: (username: string) => del<object>(`${AUTH}/users/delete`, { username }),

  grantExperiment: (experimentId: string, username: string, permission: Permission) =>
    post<object>(`${AUTH}/experiments/permissions/create`, {
      experiment_id: experimentId,
      username,
      permission,
    }),
  updateExperiment: (experimentId: string, username: string, permission: Permission) =>
    patch<object>(`${AUTH}/experiments/permissions/update`, {
      experiment_id: experimentId,
      username,
      permission,
    }),
  revokeExperiment: (experimentId: string, username: string) =>
    del<object>(`${AUTH}/experiments/permissions/delete`, {
      experiment_id: experimentId,
      username,
    }),
  grantModel: (name: string, username: string, permission: Permission) =>
    post<object>(`${AUTH}/registered-models/permissions/create`, { name, username, permission }),
  updateModel: (name: string, username: string, permission: Permission) =>
    patch<object>(`${AUTH}/registered-models/permissions/update`, { name, username, permission }),
  revokeModel: (name: string, username: string) =>
    del<object>(`${AUTH}/registered-models/permissions/delete`, { name, username }),

  listTokens: (signal?: AbortSignal) =>
    get<{ tokens?: ApiToken[] }>(`${AUTH}/tokens/list`, undefined, signal),
  createToken: (body: { name: string; expires_in_seconds?: number; experiment_id?: string }) =>
    post<{ token: ApiToken; secret: string }>(`${AUTH}/tokens/create`, body),
  revokeToken: (tokenId: number) => post<object>(`${AUTH}/tokens/revoke`, { token_id: tokenId }),

  searchAudit: (
    query: {
      resource_type?: string;
      resource_id?: string;
      max_results?: number;
      page_token?: string;
    },
    signal?: AbortSignal,
  ) =>
    get<{ events?: AuditEvent[]; next_page_token?: string }>(`${AUTH}/audit/search`, query, signal),
};

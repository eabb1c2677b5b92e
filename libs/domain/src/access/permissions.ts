import { MlflowError } from '../errors';

/** MLflow's permission levels, weakest first (`mlflow/server/auth/permissions.py`). */
export const PERMISSIONS = ['NO_PERMISSIONS', 'READ', 'EDIT', 'MANAGE'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What a route does to the resource it names; each permission level allows a prefix of these. */
export type AccessNeed = 'read' | 'update' | 'delete' | 'manage';

const NEEDED_LEVEL: Record<AccessNeed, Permission> = {
  read: 'READ',
  update: 'EDIT',
  delete: 'MANAGE',
  manage: 'MANAGE',
};

export function permits(permission: Permission, need: AccessNeed): boolean {
  return PERMISSIONS.indexOf(permission) >= PERMISSIONS.indexOf(NEEDED_LEVEL[need]);
}

/** The weaker of two levels. */
export function weakerPermission(a: Permission, b: Permission): Permission {
  return PERMISSIONS.indexOf(a) <= PERMISSIONS.indexOf(b) ? a : b;
}

/** MLflow's message for an unknown level, as its auth app answers it. */
export function parsePermission(value: string): Permission {
  if ((PERMISSIONS as readonly string[]).includes(value)) return value as Permission;
  throw MlflowError.invalidParameterValue(
    `Invalid permission '${value}'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')`,
  );
}

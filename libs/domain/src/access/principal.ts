/**
 * Who a request acts for, once its credential is verified. An admin is unrestricted; everyone
 * else reaches only the resources they hold a grant on (no grant means NO_PERMISSIONS).
 */
export interface Principal {
  readonly userId: number;
  readonly username: string;
  readonly isAdmin: boolean;
  /**
   * Set for a scoped (aggregator) token: the one experiment it may reach, and only through the
   * routes that write a round's data there or read that project back. Never set for admins'
   * unscoped credentials.
   */
  readonly scope?: TokenScope;
  /** The API token that authenticated the request, if one did (for revocation and audit). */
  readonly tokenId?: number;
}

export interface TokenScope {
  readonly experimentId: string;
}

/**
 * The caller when authentication is off (`AUTH_MODE=none`, the single-user embedded default):
 * unrestricted, and the owner of nothing (resources it creates have no owner).
 */
export const LOCAL_OPERATOR: Principal = Object.freeze({
  userId: 0,
  username: 'local',
  isAdmin: true,
});

/** Who a new experiment or registered model belongs to: its creator, who holds MANAGE on it. */
export interface ResourceOwner {
  readonly userId: number;
  readonly username: string;
}

/** The creator as owner; the local operator of `AUTH_MODE=none` owns nothing. */
export function ownerOf(principal: Principal): ResourceOwner | null {
  if (principal.userId === LOCAL_OPERATOR.userId) return null;
  return { userId: principal.userId, username: principal.username };
}

/**
 * The SQL-level restriction a search must apply for this caller: null for an unrestricted
 * caller, else the user whose grants decide and, for a scoped token, its one experiment.
 */
export interface ReadableBy {
  readonly userId: number;
  readonly experimentId?: string;
}

export function readableBy(principal: Principal): ReadableBy | null {
  if (principal.isAdmin && !principal.scope) return null;
  return { userId: principal.userId, experimentId: principal.scope?.experimentId };
}

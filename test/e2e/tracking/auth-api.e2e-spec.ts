import { IdentityStore } from '@app/domain';
import { newTokenSecret, tokenSecretHash } from '@app/http';

import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

const ADMIN = { user: 'admin', password: 'a-Strong-passw0rd-for-tests' };
const AUTH_ENV = {
  AUTH_MODE: 'basic',
  AUTH_ADMIN_USERNAME: ADMIN.user,
  AUTH_ADMIN_PASSWORD: ADMIN.password,
};

type Credential = { user: string; password: string } | { token: string } | null;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Record<string, string | undefined>;
}

/** The sorted keys of a JSON object, for exact shape checks. */
const keysOf = (value: unknown) => Object.keys(value as object).sort();

describe.each(BACKENDS)("MLflow's basic-auth API, tokens and audit on %s", (backend) => {
  let t: TestApp;
  /** Every response body this suite received, with the path it came from. */
  const replies: { path: string; body: string }[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(backend, { env: AUTH_ENV });
  });

  afterAll(async () => {
    await t.close();
  });

  /**
   * One call the way MLflow's AuthServiceClient makes it: GET with query parameters, every other
   * method with a JSON body; Basic credentials or a bearer token.
   */
  async function call(
    credential: Credential,
    method: Method,
    path: string,
    fields: Record<string, unknown> = {},
  ): Promise<Reply> {
    const url = `/api/2.0/mlflow/${path}`;
    let req =
      method === 'GET'
        ? t.http.get(url).query(fields as Record<string, string>)
        : t.http[method === 'POST' ? 'post' : method === 'PATCH' ? 'patch' : 'delete'](url)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(fields));
    if (credential && 'token' in credential) {
      req = req.set('Authorization', `Bearer ${credential.token}`);
    } else if (credential) {
      req = req.auth(credential.user, credential.password);
    }
    const res = await req;
    replies.push({ path, body: res.text });
    return {
      status: res.status,
      body: (res.body ?? {}) as Record<string, unknown>,
      text: res.text,
      headers: res.headers,
    };
  }

  async function createUser(username: string, password: string): Promise<number> {
    const res = await call(ADMIN, 'POST', 'users/create', { username, password });
    expect(res.status).toBe(200);
    return (res.body.user as { id: number }).id;
  }

  async function createExperiment(credential: Credential, name: string): Promise<string> {
    const res = await call(credential, 'POST', 'experiments/create', { name });
    expect(res.status).toBe(200);
    return res.body.experiment_id as string;
  }

  async function createToken(
    credential: Credential,
    fields: Record<string, unknown>,
  ): Promise<{ id: number; secret: string; token: Record<string, unknown> }> {
    const res = await call(credential, 'POST', 'tokens/create', fields);
    expect(res.status).toBe(200);
    const secret = res.body.secret as string;
    secrets.push(secret);
    const token = res.body.token as Record<string, unknown>;
    return { id: token.id as number, secret, token };
  }

  function expectError(res: Reply, status: number, errorCode: string): void {
    expect({ status: res.status, error_code: res.body.error_code }).toEqual({
      status,
      error_code: errorCode,
    });
  }

  function expectChallenge(res: Reply): void {
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toContain('Basic realm="mlflow"');
  }

  describe('users', () => {
    const alice = { user: 'alice', password: 'Correct-Horse-7-Battery' };
    const bob = { user: 'bob', password: 'Purple-Monkey-42-Dishwasher' };
    let aliceId: number;

    beforeAll(async () => {
      aliceId = await createUser(alice.user, alice.password);
      await createUser(bob.user, bob.password);
    });

    it('answers 401 with the Basic challenge for no, unknown or wrong credentials', async () => {
      expectChallenge(await call(null, 'GET', 'users/list'));
      expectChallenge(
        await call({ ...alice, password: 'Wrong-Horse-7-Battery' }, 'GET', 'users/list'),
      );
      expectChallenge(await call({ user: 'ghost', password: alice.password }, 'GET', 'users/list'));
      expectChallenge(await call({ token: newTokenSecret() }, 'GET', 'users/list'));
    });

    it("creates a user with MLflow's User shape, never a password field", async () => {
      const res = await call(ADMIN, 'POST', 'users/create', {
        username: 'erin',
        password: 'Seven-Silver-Swans-9',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: {
          id: expect.any(Number),
          username: 'erin',
          is_admin: false,
          experiment_permissions: [],
          registered_model_permissions: [],
        },
      });
      const login = await call(
        { user: 'erin', password: 'Seven-Silver-Swans-9' },
        'GET',
        'users/get',
        {
          username: 'erin',
        },
      );
      expect(login.status).toBe(200);
    });

    it('refuses a duplicate user with a fixed message (no SQL, no hash)', async () => {
      const res = await call(ADMIN, 'POST', 'users/create', {
        username: 'alice',
        password: 'Another-Strong-Passw0rd',
      });
      expectError(res, 400, 'RESOURCE_ALREADY_EXISTS');
      expect(res.body.message).toBe("User 'alice' already exists.");
    });

    it.each([
      ['an empty password', { username: 'frank', password: '' }],
      ['a short password', { username: 'frank', password: 'Sh0rt-pw' }],
      ['a common password', { username: 'frank', password: 'password1234' }],
      ['a password holding the username', { username: 'frank', password: 'frank-Strong-Passw0rd' }],
      ['an empty username', { username: '', password: 'Seven-Silver-Swans-9' }],
      ['a username with a colon', { username: 'fr:ank', password: 'Seven-Silver-Swans-9' }],
    ])('refuses %s with 400 INVALID_PARAMETER_VALUE', async (_case, fields) => {
      const res = await call(ADMIN, 'POST', 'users/create', fields);
      expectError(res, 400, 'INVALID_PARAMETER_VALUE');
      expect((await call(ADMIN, 'GET', 'users/get', { username: 'frank' })).status).toBe(404);
    });

    it('refuses non-admins on the admin routes with 403 PERMISSION_DENIED', async () => {
      const attempts: [Method, string, Record<string, unknown>][] = [
        ['POST', 'users/create', { username: 'mallory', password: 'Seven-Silver-Swans-9' }],
        ['GET', 'users/list', {}],
        ['PATCH', 'users/update-admin', { username: 'alice', is_admin: true }],
        ['DELETE', 'users/delete', { username: 'bob' }],
      ];
      for (const [method, path, fields] of attempts) {
        expectError(await call(alice, method, path, fields), 403, 'PERMISSION_DENIED');
      }
      expect((await call(ADMIN, 'GET', 'users/get', { username: 'mallory' })).status).toBe(404);
      expect((await call(ADMIN, 'GET', 'users/get', { username: 'bob' })).status).toBe(200);
    });

    it('lets a user get itself, not others (403, even for a missing user)', async () => {
      const self = await call(alice, 'GET', 'users/get', { username: 'alice' });
      expect(self.status).toBe(200);
      expect(keysOf(self.body.user)).toEqual([
        'experiment_permissions',
        'id',
        'is_admin',
        'registered_model_permissions',
        'username',
      ]);
      expect(self.body.user).toMatchObject({ id: aliceId, username: 'alice', is_admin: false });
      expectError(
        await call(alice, 'GET', 'users/get', { username: 'bob' }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await call(alice, 'GET', 'users/get', { username: 'nobody' }),
        403,
        'PERMISSION_DENIED',
      );
      const missing = await call(ADMIN, 'GET', 'users/get', { username: 'nobody' });
      expectError(missing, 404, 'RESOURCE_DOES_NOT_EXIST');
      expect(missing.body.message).toBe('User with username=nobody not found');
    });

    it('lists users for admins, without permission lists', async () => {
      const res = await call(ADMIN, 'GET', 'users/list');
      expect(res.status).toBe(200);
      const users = res.body.users as Record<string, unknown>[];
      expect(users).toEqual(
        expect.arrayContaining([
          { id: aliceId, username: 'alice', is_admin: false },
          { id: expect.any(Number), username: 'admin', is_admin: true },
        ]),
      );
      for (const user of users) expect(keysOf(user)).toEqual(['id', 'is_admin', 'username']);
    });

    it('changes a password: strong only, the old one fails at once, the new one works', async () => {
      const gina = { user: 'gina', password: 'Seven-Silver-Swans-9' };
      await createUser(gina.user, gina.password);
      expect((await call(gina, 'GET', 'users/get', { username: 'gina' })).status).toBe(200);

      const weak = await call(gina, 'PATCH', 'users/update-password', {
        username: 'gina',
        password: 'short',
      });
      expectError(weak, 400, 'INVALID_PARAMETER_VALUE');
      const empty = await call(gina, 'PATCH', 'users/update-password', {
        username: 'gina',
        password: '',
      });
      expectError(empty, 400, 'INVALID_PARAMETER_VALUE');
      expectError(
        await call(alice, 'PATCH', 'users/update-password', {
          username: 'gina',
          password: 'Taken-Over-By-Alice-1',
        }),
        403,
        'PERMISSION_DENIED',
      );

      const changed = await call(gina, 'PATCH', 'users/update-password', {
        username: 'gina',
        password: 'Eight-Golden-Rings-8',
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({});
      expectChallenge(await call(gina, 'GET', 'users/get', { username: 'gina' }));
      const fresh = { user: 'gina', password: 'Eight-Golden-Rings-8' };
      expect((await call(fresh, 'GET', 'users/get', { username: 'gina' })).status).toBe(200);

      const byAdmin = await call(ADMIN, 'PATCH', 'users/update-password', {
        username: 'gina',
        password: 'Nine-Dancing-Ladies-9',
      });
      expect(byAdmin.status).toBe(200);
      expectChallenge(await call(fresh, 'GET', 'users/get', { username: 'gina' }));
    });

    it('changes the admin flag with a JSON boolean only, effective at once', async () => {
      expectError(
        await call(ADMIN, 'PATCH', 'users/update-admin', { username: 'bob', is_admin: 'true' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(
        await call(ADMIN, 'PATCH', 'users/update-admin', { username: 'bob' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(
        await call(ADMIN, 'PATCH', 'users/update-admin', { username: 'nobody', is_admin: true }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(await call(bob, 'GET', 'users/list'), 403, 'PERMISSION_DENIED');

      const promoted = await call(ADMIN, 'PATCH', 'users/update-admin', {
        username: 'bob',
        is_admin: true,
      });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toEqual({});
      expect((await call(bob, 'GET', 'users/list')).status).toBe(200);
      expect((await call(bob, 'GET', 'users/get', { username: 'bob' })).body.user).toMatchObject({
        is_admin: true,
      });

      await call(ADMIN, 'PATCH', 'users/update-admin', { username: 'bob', is_admin: false });
      expectError(await call(bob, 'GET', 'users/list'), 403, 'PERMISSION_DENIED');
    });

    it('keeps the last administrator: no self-deletion, no self-demotion', async () => {
      const deleted = await call(ADMIN, 'DELETE', 'users/delete', { username: 'admin' });
      expectError(deleted, 400, 'INVALID_STATE');
      expect(deleted.body.message).toMatch(/last administrator/);
      const demoted = await call(ADMIN, 'PATCH', 'users/update-admin', {
        username: 'admin',
        is_admin: false,
      });
      expectError(demoted, 400, 'INVALID_STATE');
      expect((await call(ADMIN, 'GET', 'users/list')).status).toBe(200);
    });

    it('deletes a user: its credentials fail at once and its grants are gone', async () => {
      const carol = { user: 'carol', password: 'Seven-Silver-Swans-9' };
      const carolId = await createUser(carol.user, carol.password);
      const own = await createExperiment(carol, 'carol project');
      const shared = await createExperiment(ADMIN, 'shared with carol');
      expect(
        (
          await call(ADMIN, 'POST', 'experiments/permissions/create', {
            experiment_id: shared,
            username: 'carol',
            permission: 'READ',
          })
        ).status,
      ).toBe(200);
      const { secret } = await createToken(carol, { name: 'carol laptop' });
      expect((await call(carol, 'GET', 'experiments/get', { experiment_id: shared })).status).toBe(
        200,
      );
      expect(
        (await call({ token: secret }, 'GET', 'users/get', { username: 'carol' })).status,
      ).toBe(200);
      const identity = t.app.get(IdentityStore);
      expect((await identity.resolveExperiment(own, carolId))?.permission).toBe('MANAGE');
      expect((await identity.resolveExperiment(shared, carolId))?.permission).toBe('READ');

      const res = await call(ADMIN, 'DELETE', 'users/delete', { username: 'carol' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});

      expectChallenge(await call(carol, 'GET', 'experiments/get', { experiment_id: shared }));
      expectChallenge(await call({ token: secret }, 'GET', 'users/get', { username: 'carol' }));
      expect((await identity.resolveExperiment(own, carolId))?.permission).toBe('NO_PERMISSIONS');
      expect((await identity.resolveExperiment(shared, carolId))?.permission).toBe(
        'NO_PERMISSIONS',
      );
      expect(await identity.listTokens(carolId)).toEqual([]);
      const list = await call(ADMIN, 'GET', 'experiments/permissions/list', {
        experiment_id: own,
      });
      expect(list.body).toEqual({ experiment_permissions: [] });
      expectError(
        await call(ADMIN, 'DELETE', 'users/delete', { username: 'carol' }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  describe('experiment permissions', () => {
    const owner = { user: 'olivia', password: 'Seven-Silver-Swans-9' };
    const grantee = { user: 'gus', password: 'Eight-Golden-Rings-8' };
    let ownerId: number;
    let granteeId: number;
    let experimentId: string;

    beforeAll(async () => {
      ownerId = await createUser(owner.user, owner.password);
      granteeId = await createUser(grantee.user, grantee.password);
      experimentId = await createExperiment(owner, 'olivia project');
    });

    const key = () => ({ experiment_id: experimentId, username: 'gus' });

    it('gives the creator MANAGE, visible in users/get', async () => {
      const res = await call(owner, 'GET', 'users/get', { username: 'olivia' });
      expect((res.body.user as Record<string, unknown>).experiment_permissions).toEqual([
        { experiment_id: experimentId, user_id: ownerId, permission: 'MANAGE' },
      ]);
    });

    it('hides the experiment from a user without a grant, as if missing (404)', async () => {
      const res = await call(grantee, 'GET', 'experiments/get', { experiment_id: experimentId });
      expectError(res, 404, 'RESOURCE_DOES_NOT_EXIST');
      expectError(
        await call(grantee, 'POST', 'experiments/permissions/create', {
          ...key(),
          permission: 'MANAGE',
        }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it("creates a grant with MLflow's shape; a second one is RESOURCE_ALREADY_EXISTS", async () => {
      const res = await call(owner, 'POST', 'experiments/permissions/create', {
        ...key(),
        permission: 'READ',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        experiment_permission: {
          experiment_id: experimentId,
          user_id: granteeId,
          permission: 'READ',
        },
      });
      const again = await call(owner, 'POST', 'experiments/permissions/create', {
        ...key(),
        permission: 'EDIT',
      });
      expectError(again, 400, 'RESOURCE_ALREADY_EXISTS');
      const got = await call(owner, 'GET', 'experiments/permissions/get', key());
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('lets a READ grantee read but not update, nor manage grants', async () => {
      expect(
        (await call(grantee, 'GET', 'experiments/get', { experiment_id: experimentId })).status,
      ).toBe(200);
      expectError(
        await call(grantee, 'POST', 'experiments/update', {
          experiment_id: experimentId,
          new_name: 'taken over',
        }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await call(grantee, 'GET', 'experiments/permissions/get', key()),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await call(grantee, 'PATCH', 'experiments/permissions/update', {
          ...key(),
          permission: 'MANAGE',
        }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it("refuses an unknown permission with MLflow's message and an unknown user with 404", async () => {
      const bad = await call(owner, 'PATCH', 'experiments/permissions/update', {
        ...key(),
        permission: 'WRITE',
      });
      expectError(bad, 400, 'INVALID_PARAMETER_VALUE');
      expect(bad.body.message).toBe(
        "Invalid permission 'WRITE'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')",
      );
      const ghost = await call(owner, 'POST', 'experiments/permissions/create', {
        experiment_id: experimentId,
        username: 'ghost',
        permission: 'READ',
      });
      expectError(ghost, 404, 'RESOURCE_DOES_NOT_EXIST');
      expect(ghost.body.message).toBe('User with username=ghost not found');
      expectError(
        await call(ADMIN, 'POST', 'experiments/permissions/create', {
          experiment_id: '987654',
          username: 'gus',
          permission: 'READ',
        }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it('lists who holds which permission, for managers', async () => {
      const res = await call(owner, 'GET', 'experiments/permissions/list', {
        experiment_id: experimentId,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        experiment_permissions: [
          { experiment_id: experimentId, user_id: granteeId, username: 'gus', permission: 'READ' },
          {
            experiment_id: experimentId,
            user_id: ownerId,
            username: 'olivia',
            permission: 'MANAGE',
          },
        ],
      });
      expectError(
        await call(grantee, 'GET', 'experiments/permissions/list', {
          experiment_id: experimentId,
        }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it('updates to EDIT (update allowed), then NO_PERMISSIONS (looks missing)', async () => {
      const edit = await call(owner, 'PATCH', 'experiments/permissions/update', {
        ...key(),
        permission: 'EDIT',
      });
      expect(edit.status).toBe(200);
      expect(edit.body).toEqual({});
      expect(
        (
          await call(grantee, 'POST', 'experiments/set-experiment-tag', {
            experiment_id: experimentId,
            key: 'by',
            value: 'gus',
          })
        ).status,
      ).toBe(200);
      expectError(
        await call(grantee, 'POST', 'experiments/delete', { experiment_id: experimentId }),
        403,
        'PERMISSION_DENIED',
      );

      await call(owner, 'PATCH', 'experiments/permissions/update', {
        ...key(),
        permission: 'NO_PERMISSIONS',
      });
      expectError(
        await call(grantee, 'GET', 'experiments/get', { experiment_id: experimentId }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it('deletes a grant; get, update and delete of a missing grant are 404', async () => {
      const res = await call(owner, 'DELETE', 'experiments/permissions/delete', key());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      for (const [method, path, fields] of [
        ['GET', 'experiments/permissions/get', key()],
        ['PATCH', 'experiments/permissions/update', { ...key(), permission: 'READ' }],
        ['DELETE', 'experiments/permissions/delete', key()],
      ] as [Method, string, Record<string, unknown>][]) {
        expectError(await call(owner, method, path, fields), 404, 'RESOURCE_DOES_NOT_EXIST');
      }
      expectError(
        await call(grantee, 'GET', 'experiments/get', { experiment_id: experimentId }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  describe('registered model permissions', () => {
    const owner = { user: 'rita', password: 'Seven-Silver-Swans-9' };
    const grantee = { user: 'rob', password: 'Eight-Golden-Rings-8' };
    let ownerId: number;
    let granteeId: number;
    const model = 'fraud-detector';
    const key = { name: model, username: 'rob' };

    beforeAll(async () => {
      ownerId = await createUser(owner.user, owner.password);
      granteeId = await createUser(grantee.user, grantee.password);
      expect((await call(owner, 'POST', 'registered-models/create', { name: model })).status).toBe(
        200,
      );
    });

    it('grants READ: the grantee reads but cannot update', async () => {
      expectError(
        await call(grantee, 'GET', 'registered-models/get', { name: model }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      const res = await call(owner, 'POST', 'registered-models/permissions/create', {
        ...key,
        permission: 'READ',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        registered_model_permission: { name: model, user_id: granteeId, permission: 'READ' },
      });
      expectError(
        await call(owner, 'POST', 'registered-models/permissions/create', {
          ...key,
          permission: 'READ',
        }),
        400,
        'RESOURCE_ALREADY_EXISTS',
      );
      expect((await call(grantee, 'GET', 'registered-models/get', { name: model })).status).toBe(
        200,
      );
      expectError(
        await call(grantee, 'PATCH', 'registered-models/update', {
          name: model,
          description: 'mine now',
        }),
        403,
        'PERMISSION_DENIED',
      );
      const got = await call(owner, 'GET', 'registered-models/permissions/get', key);
      expect(got.body).toEqual(res.body);
      const user = await call(grantee, 'GET', 'users/get', { username: 'rob' });
      expect((user.body.user as Record<string, unknown>).registered_model_permissions).toEqual([
        { name: model, user_id: granteeId, permission: 'READ' },
      ]);
    });

    it('lists, updates and deletes grants', async () => {
      const list = await call(owner, 'GET', 'registered-models/permissions/list', { name: model });
      expect(list.body).toEqual({
        registered_model_permissions: [
          { name: model, user_id: ownerId, username: 'rita', permission: 'MANAGE' },
          { name: model, user_id: granteeId, username: 'rob', permission: 'READ' },
        ],
      });
      const edit = await call(owner, 'PATCH', 'registered-models/permissions/update', {
        ...key,
        permission: 'EDIT',
      });
      expect(edit.status).toBe(200);
      expect(edit.body).toEqual({});
      expect(
        (
          await call(grantee, 'PATCH', 'registered-models/update', {
            name: model,
            description: 'edited by rob',
          })
        ).status,
      ).toBe(200);
      expectError(
        await call(grantee, 'GET', 'registered-models/permissions/list', { name: model }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await call(owner, 'PATCH', 'registered-models/permissions/update', {
          ...key,
          permission: 'OWNER',
        }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
      expectError(
        await call(owner, 'GET', 'registered-models/permissions/get', {
          name: model,
          username: 'ghost',
        }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it('gives an earlier grantee nothing on a model re-created under the same name', async () => {
      const deleted = await call(owner, 'DELETE', 'registered-models/delete', { name: model });
      expect(deleted.status).toBe(200);
      expect((await call(owner, 'POST', 'registered-models/create', { name: model })).status).toBe(
        200,
      );
      expectError(
        await call(grantee, 'GET', 'registered-models/get', { name: model }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await call(owner, 'GET', 'registered-models/permissions/get', key),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      const list = await call(owner, 'GET', 'registered-models/permissions/list', { name: model });
      expect(list.body).toEqual({
        registered_model_permissions: [
          { name: model, user_id: ownerId, username: 'rita', permission: 'MANAGE' },
        ],
      });
      const user = await call(grantee, 'GET', 'users/get', { username: 'rob' });
      expect((user.body.user as Record<string, unknown>).registered_model_permissions).toEqual([]);
    });

    it('deletes a grant; deleting it again is 404', async () => {
      await call(owner, 'POST', 'registered-models/permissions/create', {
        ...key,
        permission: 'READ',
      });
      const res = await call(owner, 'DELETE', 'registered-models/permissions/delete', key);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expectError(
        await call(owner, 'DELETE', 'registered-models/permissions/delete', key),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await call(grantee, 'GET', 'registered-models/get', { name: model }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  describe('API tokens', () => {
    const tina = { user: 'tina', password: 'Seven-Silver-Swans-9' };
    const tom = { user: 'tom', password: 'Eight-Golden-Rings-8' };
    let tinaId: number;

    beforeAll(async () => {
      tinaId = await createUser(tina.user, tina.password);
      await createUser(tom.user, tom.password);
    });

    it('mints a token whose secret works as Bearer and is listed without the secret', async () => {
      const { id, secret, token } = await createToken(tina, { name: 'laptop' });
      expect(secret).toMatch(/^mlsk_[A-Za-z0-9_-]{43}$/);
      expect(keysOf(token)).toEqual(['creation_time', 'id', 'name']);
      expect(token).toMatchObject({ name: 'laptop', creation_time: expect.any(Number) });

      const me = await call({ token: secret }, 'GET', 'users/get', { username: 'tina' });
      expect(me.status).toBe(200);
      expect((me.body.user as Record<string, unknown>).username).toBe('tina');

      const list = await call(tina, 'GET', 'tokens/list');
      expect(list.status).toBe(200);
      const listed = list.body.tokens as Record<string, unknown>[];
      expect(listed.map((listedToken) => listedToken.id)).toEqual([id]);
      expect(listed[0]).toMatchObject({ id, name: 'laptop' });
      expect(listed[0]).not.toHaveProperty('secret');
      expect(list.text).not.toContain(secret);

      expect((await call(tom, 'GET', 'tokens/list')).body).toEqual({ tokens: [] });
    });

    it('sets an expiry from expires_in_seconds and validates the request', async () => {
      const { token } = await createToken(tina, { name: 'ci', expires_in_seconds: 3600 });
      const lifetime = (token.expiration_time as number) - (token.creation_time as number);
      expect(lifetime).toBeGreaterThan(3_590_000);
      expect(lifetime).toBeLessThanOrEqual(3_600_000);
      for (const fields of [
        { name: '' },
        { name: 'x'.repeat(256) },
        { name: 'zero', expires_in_seconds: 0 },
        { name: 'negative', expires_in_seconds: -5 },
        { name: 'eleven years', expires_in_seconds: 11 * 365 * 24 * 3600 },
        { name: 'fraction', expires_in_seconds: 1.5 },
      ]) {
        expectError(
          await call(tina, 'POST', 'tokens/create', fields),
          400,
          'INVALID_PARAMETER_VALUE',
        );
      }
      expect((await call(tina, 'GET', 'tokens/list')).body.tokens as unknown[]).toHaveLength(2);
    });

    it("revokes at once; idempotent; another user's token looks missing", async () => {
      const { id, secret } = await createToken(tina, { name: 'to revoke' });
      expect((await call({ token: secret }, 'GET', 'tokens/list')).status).toBe(200);

      const foreign = await call(tom, 'POST', 'tokens/revoke', { token_id: id });
      expectError(foreign, 404, 'RESOURCE_DOES_NOT_EXIST');
      expect((await call({ token: secret }, 'GET', 'tokens/list')).status).toBe(200);
      expectError(
        await call(tina, 'POST', 'tokens/revoke', { token_id: 999999 }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );

      const res = await call(tina, 'POST', 'tokens/revoke', { token_id: id });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expectChallenge(await call({ token: secret }, 'GET', 'tokens/list'));
      expect((await call(tina, 'POST', 'tokens/revoke', { token_id: id })).status).toBe(200);
      const listed = (await call(tina, 'GET', 'tokens/list')).body.tokens as Record<
        string,
        unknown
      >[];
      expect(listed.find((token) => token.id === id)?.revoked_time).toEqual(expect.any(Number));
    });

    it("lets an admin revoke anyone's token", async () => {
      const { id, secret } = await createToken(tom, { name: 'tom desktop' });
      expect((await call(ADMIN, 'POST', 'tokens/revoke', { token_id: id })).status).toBe(200);
      expectChallenge(await call({ token: secret }, 'GET', 'tokens/list'));
    });

    it('refuses an expired token with 401', async () => {
      const secret = newTokenSecret();
      secrets.push(secret);
      await t.app.get(IdentityStore).createToken({
        userId: tinaId,
        name: 'expired',
        secretHash: tokenSecretHash(secret),
        experimentId: null,
        expirationTime: Date.now() - 60_000,
      });
      const res = await call({ token: secret }, 'GET', 'tokens/list');
      expectChallenge(res);
      expect(res.body.message).toBe('The token has expired.');
    });

    it('scopes a token to one project: write rounds there, nothing else', async () => {
      const project = await createExperiment(tina, 'tina federated project');
      const other = await createExperiment(tina, 'tina other project');
      const { token, secret } = await createToken(tina, {
        name: 'aggregator',
        experiment_id: project,
      });
      expect(token.experiment_id).toBe(project);
      const scoped = { token: secret };

      const run = await call(scoped, 'POST', 'runs/create', {
        experiment_id: project,
        start_time: 1732600000000,
      });
      expect(run.status).toBe(200);
      const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
      const metric = await call(scoped, 'POST', 'runs/log-metric', {
        run_id: runId,
        key: 'loss',
        value: 0.25,
        timestamp: 1732600000000,
        step: 1,
      });
      expect(metric.status).toBe(200);
      const history = await call(tina, 'GET', 'metrics/get-history', {
        run_id: runId,
        metric_key: 'loss',
      });
      expect((history.body.metrics as { value: number }[]).map((m) => m.value)).toEqual([0.25]);

      expectError(
        await call(scoped, 'POST', 'registered-models/create', { name: 'scoped-model' }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await call(scoped, 'GET', 'experiments/get', { experiment_id: other }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      expectError(
        await call(scoped, 'POST', 'runs/delete', { run_id: runId }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await call(scoped, 'POST', 'tokens/create', { name: 'minted by a scoped token' }),
        403,
        'PERMISSION_DENIED',
      );
      expect(
        (await call(scoped, 'GET', 'experiments/get', { experiment_id: project })).status,
      ).toBe(200);
    });

    it('scopes only to a project the caller may write', async () => {
      const project = await createExperiment(tina, 'tina read-only for tom');
      expectError(
        await call(tom, 'POST', 'tokens/create', { name: 'x', experiment_id: project }),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      );
      await call(tina, 'POST', 'experiments/permissions/create', {
        experiment_id: project,
        username: 'tom',
        permission: 'READ',
      });
      expectError(
        await call(tom, 'POST', 'tokens/create', { name: 'x', experiment_id: project }),
        403,
        'PERMISSION_DENIED',
      );
      await call(tina, 'PATCH', 'experiments/permissions/update', {
        experiment_id: project,
        username: 'tom',
        permission: 'EDIT',
      });
      const { token } = await createToken(tom, { name: 'x', experiment_id: project });
      expect(token.experiment_id).toBe(project);
    });
  });

  describe('audit log', () => {
    const una = { user: 'una', password: 'Seven-Silver-Swans-9' };
    const vic = { user: 'vic', password: 'Eight-Golden-Rings-8' };
    let project: string;
    let tokenId: number;

    beforeAll(async () => {
      await createUser(una.user, una.password);
      await createUser(vic.user, vic.password);
      project = await createExperiment(una, 'una audited project');
      await call(una, 'POST', 'experiments/permissions/create', {
        experiment_id: project,
        username: 'vic',
        permission: 'READ',
      });
      tokenId = (await createToken(una, { name: 'una token' })).id;
      await call(una, 'POST', 'tokens/revoke', { token_id: tokenId });
    });

    type Event = Record<string, unknown>;
    const search = async (credential: Credential, fields: Record<string, unknown> = {}) => {
      const res = await call(credential, 'GET', 'audit/search', fields);
      expect(res.status).toBe(200);
      return res.body as { events: Event[]; next_page_token?: string };
    };

    it("lists the owner's project, token and permission events, newest first", async () => {
      const { events } = await search(una);
      expect(events.map((e) => e.action)).toEqual([
        'token.revoke',
        'token.create',
        'permission.create',
        'experiment.create',
      ]);
      expect(events[3]).toMatchObject({
        username: 'una',
        resource_type: 'experiment',
        resource_id: project,
        experiment_id: project,
      });
      expect(events[2]).toEqual({
        id: expect.any(Number),
        time: expect.any(Number),
        username: 'una',
        client_address: expect.stringMatching(/\S/),
        action: 'permission.create',
        resource_type: 'experiment',
        resource_id: project,
        experiment_id: project,
        detail: JSON.stringify({ username: 'vic', permission: 'READ' }),
      });
      expect(events[0]).toMatchObject({ resource_type: 'token', resource_id: String(tokenId) });
      expect(events.map((e) => e.id)).toEqual(
        [...events.map((e) => e.id as number)].sort((a, b) => b - a),
      );
    });

    it('shows others nothing of what they do not manage', async () => {
      expect((await search(vic)).events).toEqual([]);
    });

    it('shows the admin everything, with filters and offset pages', async () => {
      const all = await search(ADMIN, { max_results: 1000 });
      const actions = new Set(all.events.map((e) => e.action));
      for (const action of [
        'user.create',
        'user.delete',
        'user.update_password',
        'user.update_admin',
        'permission.create',
        'permission.update',
        'permission.delete',
        'token.create',
        'token.revoke',
        'experiment.create',
      ]) {
        expect([action, actions.has(action)]).toEqual([action, true]);
      }
      expect(all.next_page_token).toBeUndefined();

      const tokens = await search(ADMIN, { resource_type: 'token', resource_id: String(tokenId) });
      expect(tokens.events.map((e) => e.action)).toEqual(['token.revoke', 'token.create']);

      const first = await search(ADMIN, { max_results: 2 });
      expect(first.events).toEqual(all.events.slice(0, 2));
      expect(first.next_page_token).toEqual(expect.any(String));
      const second = await search(ADMIN, { max_results: 2, page_token: first.next_page_token });
      expect(second.events).toEqual(all.events.slice(2, 4));

      for (const max of ['0', '1001', 'many']) {
        expectError(
          await call(ADMIN, 'GET', 'audit/search', { max_results: max }),
          400,
          'INVALID_PARAMETER_VALUE',
        );
      }
      expectError(
        await call(ADMIN, 'GET', 'audit/search', { page_token: 'not a token' }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    });
  });

  it('never answered a password hash or a token secret, except the one in tokens/create', () => {
    expect(replies.length).toBeGreaterThan(100);
    expect(secrets.length).toBeGreaterThan(5);
    const leaks = replies.filter(({ path, body }) => {
      let text = body;
      if (path === 'tokens/create') {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        delete parsed.secret;
        text = JSON.stringify(parsed);
      }
      return (
        text.includes('scrypt$') || text.includes('mlsk_') || secrets.some((s) => text.includes(s))
      );
    });
    expect(leaks).toEqual([]);
  });
});

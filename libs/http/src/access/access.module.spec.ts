import { Controller, Get, Global, Module } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

import { AuthSettings } from '@app/config';
import { IdentityStore } from '@app/domain';

import { UnusedIdentityStore } from '../../../../test/support/unused-ports';
import { Access } from './access.decorator';
import { AccessModule } from './access.module';

const SETTINGS: AuthSettings = {
  mode: 'none',
  credentialCacheTtlMs: 0,
  unauthenticatedOnNetwork: false,
};

class NoIdentity extends UnusedIdentityStore {}

@Global()
@Module({ providers: [{ provide: IdentityStore, useClass: NoIdentity }], exports: [IdentityStore] })
class IdentityModule {}

@Controller()
class DeclaredController {
  @Get('declared')
  @Access.signedIn()
  declared(): string {
    return 'ok';
  }
}

@Controller()
class ForgetfulController {
  @Get('declared-too')
  @Access.public()
  declared(): string {
    return 'ok';
  }

  @Get('forgotten')
  forgotten(): string {
    return 'open?';
  }
}

describe(AccessModule.name, () => {
  const boot = async (controller: new () => unknown) => {
    const moduleRef = await Test.createTestingModule({
      imports: [IdentityModule, AccessModule.register(SETTINGS)],
      controllers: [controller],
    }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    try {
      await app.init();
    } finally {
      await app.close();
    }
  };

  it('starts when every route declares its access policy', async () => {
    await expect(boot(DeclaredController)).resolves.toBeUndefined();
  });

  it('refuses to start with a route that declares none, naming it', async () => {
    await expect(boot(ForgetfulController)).rejects.toThrow(
      'Routes without an access policy (declare @Access on each): ForgetfulController.forgotten',
    );
  });
});

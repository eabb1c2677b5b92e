import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import {
  APP_GUARD,
  APP_INTERCEPTOR,
  DiscoveryModule,
  DiscoveryService,
  MetadataScanner,
} from '@nestjs/core';

import { AuthSettings } from '@app/config';
import { IdentityStore } from '@app/domain';

import { ACCESS_POLICY } from './access.decorator';
import { AccessGuard } from './access.guard';
import { AccessChecker } from './access-checker';
import { AuditInterceptor } from './audit';
import { AUTH_SETTINGS } from './auth-settings.token';
import { Authenticator } from './authenticator';
import { createJwtVerifier, hashPassword, JwtVerifier } from './credentials';

const JWT_VERIFIER = Symbol('JWT_VERIFIER');

/** Every route handler without an access policy, as `Controller.method`. */
export function routesWithoutPolicy(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): string[] {
  const missing: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as object;
      const isRoute =
        Reflect.getMetadata(PATH_METADATA, handler) !== undefined &&
        Reflect.getMetadata(METHOD_METADATA, handler) !== undefined;
      if (!isRoute) continue;
      const policy: unknown =
        Reflect.getMetadata(ACCESS_POLICY, handler) ??
        Reflect.getMetadata(ACCESS_POLICY, instance.constructor);
      if (!policy) missing.push(`${instance.constructor.name}.${name}`);
    }
  }
  return missing;
}

@Injectable()
class AccessBootstrap implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly identity: IdentityStore,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Fail closed by construction: a route nobody declared a rule for stops the boot. */
  onModuleInit(): void {
    const missing = routesWithoutPolicy(this.discovery, this.scanner);
    if (missing.length > 0) {
      throw new Error(
        `Routes without an access policy (declare @Access on each): ${missing.join(', ')}`,
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.mode === 'none') {
      if (this.settings.unauthenticatedOnNetwork) {
        this.logger.warn(
          'AUTH_MODE=none on a network address (ALLOW_UNAUTHENTICATED=true): anyone who reaches this port acts as an administrator.',
        );
      }
      return;
    }
    if ((await this.identity.countUsers()) > 0) return;
    const admin = this.settings.admin;
    if (!admin) {
      throw new Error(
        'The backend store has no user yet: set AUTH_ADMIN_USERNAME and AUTH_ADMIN_PASSWORD (or AUTH_ADMIN_PASSWORD_FILE) for the first administrator.',
      );
    }
    try {
      await this.identity.createUser({
        username: admin.username,
        passwordHash: await hashPassword(admin.password),
        isAdmin: true,
      });
      this.logger.log(`Created the first administrator '${admin.username}'.`);
    } catch (error) {
      // Another instance bootstrapped it first.
      if (!(await this.identity.findUser(admin.username))) throw error;
    }
  }
}

/**
 * Authentication and authorisation for one service: the global AccessGuard, the authenticator
 * and its caches, the checker services use for indirect references, and the first-admin
 * bootstrap. Mounted by every service's root module, never by a feature module.
 */
@Global()
@Module({})
export class AccessModule {
  static register(settings: AuthSettings): DynamicModule {
    return {
      module: AccessModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        {
          provide: JWT_VERIFIER,
          useFactory: (): Promise<JwtVerifier> | null =>
            settings.mode === 'jwt' && settings.jwt ? createJwtVerifier(settings.jwt) : null,
        },
        {
          provide: Authenticator,
          inject: [AUTH_SETTINGS, IdentityStore, JWT_VERIFIER],
          useFactory: (s: AuthSettings, identity: IdentityStore, jwt: JwtVerifier | null) =>
            new Authenticator(s, identity, jwt),
        },
        AccessChecker,
        AccessBootstrap,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
      exports: [Authenticator, AccessChecker, AUTH_SETTINGS],
    };
  }
}

import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';

import { ArtifactStore } from '@app/domain';

import {
  ArtifactStoreOptions,
  ArtifactStoreRegistry,
  defaultArtifactStoreRegistry,
} from './artifact-store-registry';

export interface ArtifactStoreModuleOptions {
  /** ARTIFACTS_DESTINATION: `file:<path>` or a plain path, `ftp://`, `ftps://`, `sftp://`. */
  destination: string;
  /** Settings that do not belong in the URI (credentials, pool size, timeouts). */
  storeOptions?: ArtifactStoreOptions;
}

export interface ArtifactStoreModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: unknown[];
  useFactory: (
    ...args: never[]
  ) => ArtifactStoreModuleOptions | Promise<ArtifactStoreModuleOptions>;
}

const ARTIFACT_STORE_OPTIONS = Symbol('ARTIFACT_STORE_OPTIONS');

/**
 * Binds the {@link ArtifactStore} port to the adapter the registry picks by the scheme of the
 * destination URI (an unknown scheme fails at boot, listing the known ones), and closes it on
 * shutdown. Global, like PersistenceModule: every service that reads or writes artifacts shares
 * one store and its connection pool.
 */
@Global()
@Module({})
export class ArtifactStoreModule implements OnApplicationShutdown {
  constructor(@Inject(ArtifactStore) private readonly store: ArtifactStore) {}

  static forRootAsync(options: ArtifactStoreModuleAsyncOptions): DynamicModule {
    return {
      module: ArtifactStoreModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: ARTIFACT_STORE_OPTIONS,
          inject: (options.inject ?? []) as never[],
          useFactory: options.useFactory,
        },
        { provide: ArtifactStoreRegistry, useFactory: defaultArtifactStoreRegistry },
        {
          provide: ArtifactStore,
          inject: [ArtifactStoreRegistry, ARTIFACT_STORE_OPTIONS],
          useFactory: (registry: ArtifactStoreRegistry, opts: ArtifactStoreModuleOptions) => {
            const logger = new Logger('ArtifactStore');
            return registry.create(opts.destination, { logger, ...opts.storeOptions });
          },
        },
      ],
      exports: [ArtifactStoreRegistry, ArtifactStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

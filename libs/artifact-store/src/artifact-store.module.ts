import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';

import { ArtifactMeter, ArtifactPartitions, ArtifactStore, ArtifactStoreStatus } from '@app/domain';

import {
  ArtifactStoreOptions,
  ArtifactStoreRegistry,
  defaultArtifactStoreRegistry,
  schemeOf,
} from './artifact-store-registry';
import { ProxyStatus, StoreRootStatus } from './artifact-store-status';
import { MeteredArtifactStore } from './metered-artifact-store';
import { PartitionedArtifactStore } from './partitioned-artifact-store';
import { ProxyArtifactStore, ProxyArtifactStoreOptions } from './proxy-artifact-store';

/** Either the store itself (`destination`) or the artifact proxy in front of it (`proxy`). */
export type ArtifactStoreModuleOptions =
  | {
      /** ARTIFACTS_DESTINATION: `file:<path>` or a plain path, `ftp://`, `ftps://`, `sftp://`. */
      destination: string;
      /** Settings that do not belong in the URI (credentials, pool size, timeouts). */
      storeOptions?: ArtifactStoreOptions;
      proxy?: undefined;
    }
  | { proxy: ProxyArtifactStoreOptions; destination?: undefined };

export interface ArtifactStoreModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: unknown[];
  useFactory: (
    ...args: never[]
  ) => ArtifactStoreModuleOptions | Promise<ArtifactStoreModuleOptions>;
}

const ARTIFACT_STORE_OPTIONS = Symbol('ARTIFACT_STORE_OPTIONS');
/** The adapter the registry built, before metering and partitions. */
const ADAPTER = Symbol('ARTIFACT_STORE_ADAPTER');

/**
 * Binds the {@link ArtifactStore} port to the adapter the registry picks by the scheme of the
 * destination URI (an unknown scheme fails at boot, listing the known ones), with each
 * experiment's files under its owner's directory (ArtifactPartitions), or, in a split
 * deployment, to the artifact proxy ({@link ProxyArtifactStore}); and closes it on shutdown. Global, like PersistenceModule: every service that reads or writes artifacts shares
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
          provide: ADAPTER,
          inject: [ArtifactStoreRegistry, ARTIFACT_STORE_OPTIONS],
          useFactory: (registry: ArtifactStoreRegistry, opts: ArtifactStoreModuleOptions) => {
            const logger = new Logger('ArtifactStore');
            return opts.proxy
              ? new ProxyArtifactStore({ logger, ...opts.proxy })
              : registry.create(opts.destination, { logger, ...opts.storeOptions });
          },
        },
        {
          provide: ArtifactStore,
          inject: [
            ADAPTER,
            ARTIFACT_STORE_OPTIONS,
            { token: ArtifactPartitions, optional: true },
            { token: ArtifactMeter, optional: true },
          ],
          useFactory: (
            adapter: ArtifactStore,
            opts: ArtifactStoreModuleOptions,
            partitions: ArtifactPartitions | undefined,
            meter: ArtifactMeter | undefined,
          ) => {
            const store = meter
              ? new MeteredArtifactStore(adapter, storeKind(opts), meter)
              : adapter;
            // The proxy partitions by owner itself (and by the caller it is told about).
            if (opts.proxy) return store;
            // Every app binds the partitions with its backend store; a bare store is for tools.
            return partitions ? new PartitionedArtifactStore(store, partitions) : store;
          },
        },
        {
          provide: ArtifactStoreStatus,
          inject: [ADAPTER, ARTIFACT_STORE_OPTIONS],
          useFactory: (adapter: ArtifactStore, opts: ArtifactStoreModuleOptions) =>
            adapter instanceof ProxyArtifactStore && opts.proxy
              ? new ProxyStatus(adapter, opts.proxy.url)
              : new StoreRootStatus(adapter, storeKind(opts), opts.destination ?? ''),
        },
      ],
      exports: [ArtifactStoreRegistry, ArtifactStore, ArtifactStoreStatus],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The metric label of the store: the destination's scheme, or `proxy` in a split deployment. */
function storeKind(opts: ArtifactStoreModuleOptions): string {
  return opts.proxy ? 'proxy' : schemeOf(opts.destination);
}

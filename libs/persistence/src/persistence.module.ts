import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  ArtifactPartitions,
  ExperimentStore,
  FlopsStore,
  IdentityStore,
  LoggedModelStore,
  ModelRegistryStore,
  redactUri,
  RunStore,
  TraceStore,
} from '@app/domain';

import { createDataSource } from './data-source';
import { dialectOf } from './dialects';
import { prepareSchema } from './schema-guard';
import { SqlExecutor } from './sql-executor';
import { joinArtifactRoot } from './stores/artifact-locations';
import { SqlArtifactPartitions } from './stores/sql-artifact-partitions';
import { SqlExperimentStore } from './stores/sql-experiment-store';
import { SqlFlopsStore } from './stores/sql-flops-store';
import { SqlIdentityStore } from './stores/sql-identity-store';
import { SqlLoggedModelStore } from './stores/sql-logged-model-store';
import { SqlModelRegistryStore } from './stores/sql-model-registry-store';
import { SqlRunStore } from './stores/sql-run-store';
import { SqlTraceStore } from './stores/sql-trace-store';

export interface PersistenceOptions {
  backendStoreUri: string;
  /** Default artifact root, e.g. `mlflow-artifacts:/`; experiments get `<root>/<id>`. */
  defaultArtifactRoot: string;
  /** Run pending migrations at boot (embedded SQLite) instead of refusing to start. */
  autoMigrate?: boolean;
  poolSize?: number;
}

export abstract class PersistenceConfig {
  abstract readonly defaultArtifactRoot: string;
}

export interface PersistenceModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: unknown[];
  useFactory: (...args: never[]) => PersistenceOptions | Promise<PersistenceOptions>;
}

const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');

/**
 * Binds the domain's store ports to the SQL adapters over one TypeORM DataSource (MySQL through
 * mysql2, or embedded SQLite through better-sqlite3), checked or migrated at boot.
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRootAsync(options: PersistenceModuleAsyncOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: PERSISTENCE_OPTIONS,
          inject: (options.inject ?? []) as never[],
          useFactory: options.useFactory,
        },
        {
          provide: DataSource,
          inject: [PERSISTENCE_OPTIONS],
          useFactory: async (opts: PersistenceOptions) => {
            const dataSource = createDataSource(opts);
            try {
              await dataSource.initialize();
            } catch (error) {
              throw new Error(
                `Cannot open the backend store ${redactUri(opts.backendStoreUri)}: ${(error as Error).message}`,
              );
            }
            const autoMigrate = opts.autoMigrate ?? dialectOf(dataSource).migratesOnStartByDefault;
            try {
              await prepareSchema(dataSource, autoMigrate);
              // The Default experiment is created by the migration, before any root is configured.
              await dataSource.query(
                "UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0 AND artifact_location = ''",
                [joinArtifactRoot(opts.defaultArtifactRoot, '0')],
              );
            } catch (error) {
              // The app never starts, so nothing else would close the pool it opened.
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        },
        {
          provide: SqlExecutor,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new SqlExecutor(ds),
        },
        {
          provide: PersistenceConfig,
          inject: [PERSISTENCE_OPTIONS],
          useFactory: (opts: PersistenceOptions) => ({
            defaultArtifactRoot: opts.defaultArtifactRoot,
          }),
        },
        {
          provide: ExperimentStore,
          inject: [SqlExecutor, PersistenceConfig],
          useFactory: (sql: SqlExecutor, config: PersistenceConfig) =>
            new SqlExperimentStore(sql, config.defaultArtifactRoot),
        },
        {
          provide: RunStore,
          inject: [SqlExecutor],
          useFactory: (sql: SqlExecutor) => new SqlRunStore(sql),
        },
        {
          provide: LoggedModelStore,
          inject: [SqlExecutor],
          useFactory: (sql: SqlExecutor) => new SqlLoggedModelStore(sql),
        },
        {
          provide: TraceStore,
          inject: [SqlExecutor],
          useFactory: (sql: SqlExecutor) => new SqlTraceStore(sql),
        },
        {
          provide: ModelRegistryStore,
          inject: [SqlExecutor],
          useFactory: (sql: SqlExecutor) => new SqlModelRegistryStore(sql),
        },
        {
          provide: IdentityStore,
          inject: [SqlExecutor],
          useFactory: (sql: SqlExecutor) => new SqlIdentityStore(sql),
        },
        {
          provide: FlopsStore,
          inject: [SqlExecutor],
          useFactory: (sql: SqlExecutor) => new SqlFlopsStore(sql),
        },
        {
          provide: ArtifactPartitions,
          inject: [SqlExecutor],
          useFactory: (sql: SqlExecutor) => new SqlArtifactPartitions(sql),
        },
      ],
      exports: [
        DataSource,
        SqlExecutor,
        PersistenceConfig,
        ExperimentStore,
        RunStore,
        LoggedModelStore,
        TraceStore,
        ModelRegistryStore,
        IdentityStore,
        ArtifactPartitions,
        FlopsStore,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

import { ArtifactStoreModule } from '@app/artifact-store';
import { artifactStoreSettings, backendStoreSettings, isTrue, loadEnv } from '@app/config';
import { MlflowHttpModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { DynamicModule, Module } from '@nestjs/common';

import { TrackingEnv } from './config/env';
import { TrackingModule } from './tracking.module';

/** The tracking service deployed on its own. */
@Module({})
export class TrackingAppModule {
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnv(TrackingEnv, env);
    return {
      module: TrackingAppModule,
      imports: [
        MlflowHttpModule,
        PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
        ArtifactStoreModule.forRootAsync({ useFactory: () => artifactStoreSettings(config) }),
        TrackingModule.register({
          truncateLongValues: isTrue(config.MLFLOW_TRUNCATE_LONG_VALUES) ?? true,
        }),
      ],
    };
  }

  static listenAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
    const config = loadEnv(TrackingEnv, env);
    return { host: config.HOST, port: config.PORT };
  }
}

import { ArtifactProxyModule } from '@app/artifact-proxy';
import { ArtifactStoreModule } from '@app/artifact-store';
import { artifactStoreSettings, backendStoreSettings, isTrue, loadEnv } from '@app/config';
import { MlflowHttpModule } from '@app/http';
import { ModelRegistryModule } from '@app/model-registry';
import { PersistenceModule } from '@app/persistence';
import { TrackingModule } from '@app/tracking';
import { DynamicModule, Module } from '@nestjs/common';

import { SuiteEnv } from './config/env';

/** One process mounting every service on one port: the embedded default that `npm start` runs. */
@Module({})
export class SuiteModule {
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnv(SuiteEnv, env);
    return {
      module: SuiteModule,
      imports: [
        MlflowHttpModule,
        PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
        TrackingModule.register({
          truncateLongValues: isTrue(config.MLFLOW_TRUNCATE_LONG_VALUES) ?? true,
        }),
        ArtifactStoreModule.forRootAsync({ useFactory: () => artifactStoreSettings(config) }),
        ArtifactProxyModule.register(),
        ModelRegistryModule.register({
          modelVersionSourceRegex: config.MODEL_VERSION_SOURCE_REGEX,
        }),
      ],
    };
  }

  static listenAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
    const config = loadEnv(SuiteEnv, env);
    return { host: config.HOST, port: config.PORT };
  }
}

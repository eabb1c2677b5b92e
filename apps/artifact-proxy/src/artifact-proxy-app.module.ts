import { ArtifactStoreModule } from '@app/artifact-store';
import { artifactStoreSettings, backendStoreSettings, loadEnv } from '@app/config';
import { MlflowHttpModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { DynamicModule, Module } from '@nestjs/common';

import { ArtifactProxyModule } from './artifact-proxy.module';
import { ArtifactProxyEnv } from './config/env';

/** The artifact proxy deployed on its own (MLflow's `--artifacts-only`), beside tracking. */
@Module({})
export class ArtifactProxyAppModule {
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnv(ArtifactProxyEnv, env);
    return {
      module: ArtifactProxyAppModule,
      imports: [
        MlflowHttpModule,
        PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
        ArtifactStoreModule.forRootAsync({ useFactory: () => artifactStoreSettings(config) }),
        ArtifactProxyModule.register(),
      ],
    };
  }

  static listenAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
    const config = loadEnv(ArtifactProxyEnv, env);
    return { host: config.HOST, port: config.PORT };
  }
}

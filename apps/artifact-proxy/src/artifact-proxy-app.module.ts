import { Module } from '@nestjs/common';

import { ArtifactStoreModule } from '@app/artifact-store';
import { artifactStoreSettings, backendStoreSettings } from '@app/config';
import { MlflowService } from '@app/http';
import { PersistenceModule } from '@app/persistence';

import { ArtifactProxyModule } from './artifact-proxy.module';
import { ArtifactProxyEnv } from './config/env';

@Module({})
export class ArtifactProxyAppModule {}

/** The artifact proxy deployed on its own (MLflow's `--artifacts-only`), beside tracking. */
export const ARTIFACT_PROXY_SERVICE: MlflowService<ArtifactProxyEnv> = {
  name: 'FLOps artifact proxy',
  module: ArtifactProxyAppModule,
  env: ArtifactProxyEnv,
  imports: (config) => {
    const artifacts = artifactStoreSettings(config, 'serves-artifacts');
    return [
      PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
      ArtifactStoreModule.forRootAsync({ useFactory: () => artifacts }),
      ArtifactProxyModule.register(),
    ];
  },
};

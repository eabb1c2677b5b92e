import 'reflect-metadata';

import { startMlflowApp } from '@app/http';

import { ArtifactProxyAppModule } from './artifact-proxy-app.module';

void startMlflowApp(
  ArtifactProxyAppModule.fromEnv(),
  'FLOps artifact proxy',
  ArtifactProxyAppModule.listenAddress(),
);

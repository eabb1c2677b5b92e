import 'reflect-metadata';
import { startMlflowApp } from '@app/http';
import { ModelRegistryAppModule } from './model-registry-app.module';

void startMlflowApp(
  ModelRegistryAppModule.fromEnv(),
  'FLOps model registry',
  ModelRegistryAppModule.listenAddress(),
);

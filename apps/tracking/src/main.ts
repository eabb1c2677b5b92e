import 'reflect-metadata';
import { startMlflowApp } from '@app/http';
import { TrackingAppModule } from './tracking-app.module';

void startMlflowApp(
  TrackingAppModule.fromEnv(),
  'FLOps tracking',
  TrackingAppModule.listenAddress(),
);

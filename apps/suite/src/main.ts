import 'reflect-metadata';
import { startMlflowApp } from '@app/http';
import { SuiteModule } from './suite.module';

void startMlflowApp(SuiteModule.fromEnv(), 'FLOps MLOps suite', SuiteModule.listenAddress());

import 'reflect-metadata';

import { runMlflowService } from '@app/http';

import { ARTIFACT_PROXY_SERVICE } from './artifact-proxy-app.module';

void runMlflowService(ARTIFACT_PROXY_SERVICE);

import 'reflect-metadata';

import { bootstrapMlflowService } from '@app/http';

import { ARTIFACT_PROXY_SERVICE } from './artifact-proxy-app.module';

void bootstrapMlflowService(ARTIFACT_PROXY_SERVICE);

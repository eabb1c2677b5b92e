import 'reflect-metadata';

import { runMlflowService } from '@app/http';

import { MODEL_REGISTRY_SERVICE } from './model-registry-app.module';

void runMlflowService(MODEL_REGISTRY_SERVICE);

import 'reflect-metadata';

import { bootstrapMlflowService } from '@app/http';

import { MODEL_REGISTRY_SERVICE } from './model-registry-app.module';

void bootstrapMlflowService(MODEL_REGISTRY_SERVICE);

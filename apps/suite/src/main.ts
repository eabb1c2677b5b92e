import 'reflect-metadata';

import { bootstrapMlflowService } from '@app/http';

import { SUITE_SERVICE } from './suite.module';

void bootstrapMlflowService(SUITE_SERVICE);

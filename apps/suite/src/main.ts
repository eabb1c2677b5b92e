import 'reflect-metadata';

import { runMlflowService } from '@app/http';

import { SUITE_SERVICE } from './suite.module';

void runMlflowService(SUITE_SERVICE);

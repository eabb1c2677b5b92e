import 'reflect-metadata';

import { runMlflowService } from '@app/http';

import { TRACKING_SERVICE } from './tracking-app.module';

void runMlflowService(TRACKING_SERVICE);

import 'reflect-metadata';

import { bootstrapMlflowService } from '@app/http';

import { TRACKING_SERVICE } from './tracking-app.module';

void bootstrapMlflowService(TRACKING_SERVICE);

import { CreateSchema1732600000000 } from './1732600000000-CreateSchema';
import { AddAccessControl1733000000000 } from './1733000000000-AddAccessControl';
import { AddTraces1733100000000 } from './1733100000000-AddTraces';
import { AddRunTagKeyIndex1733200000000 } from './1733200000000-AddRunTagKeyIndex';

/** The one migration chain for MySQL and SQLite, in order. Never a glob (webpack trap). */
export const MIGRATIONS = [
  CreateSchema1732600000000,
  AddAccessControl1733000000000,
  AddTraces1733100000000,
  AddRunTagKeyIndex1733200000000,
];

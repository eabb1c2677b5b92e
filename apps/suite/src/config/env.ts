import { ServerEnv } from '@app/http';

/** Environment of the suite: every service in one process, SQLite and local artifacts by default. */
export class SuiteEnv extends ServerEnv {
  override PORT = 5000;
}

import { ServerEnv } from '@app/http';

/** Environment of the standalone tracking service (the suite's adds the artifact store). */
export class TrackingEnv extends ServerEnv {
  override PORT = 5001;
}

import { ServerEnv } from '@app/config';

/** Environment of the standalone tracking service. */
export class TrackingEnv extends ServerEnv {
  override PORT = 5001;
}

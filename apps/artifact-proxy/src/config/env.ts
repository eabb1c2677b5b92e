import { ServerEnv } from '@app/config';

/** Environment of the standalone artifact proxy (it shares the backend store with tracking). */
export class ArtifactProxyEnv extends ServerEnv {
  override PORT = 5003;
}

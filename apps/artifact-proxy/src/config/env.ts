import { IsNotEmpty, IsString } from 'class-validator';

import { ServerEnv } from '@app/http';

/** Environment of the standalone artifact proxy (it shares the backend store with tracking). */
export class ArtifactProxyEnv extends ServerEnv {
  override PORT = 5003;

  /** Where proxied artifacts live: `file:<path>` or a path, `ftp://`, `ftps://`, `sftp://`. */
  @IsString()
  @IsNotEmpty()
  ARTIFACTS_DESTINATION = 'file:./data/artifacts';
}

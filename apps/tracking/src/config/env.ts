import { IsNotEmpty, IsString } from 'class-validator';
import { ServerEnv } from '@app/http';

/** Environment of the standalone tracking service. */
export class TrackingEnv extends ServerEnv {
  override PORT = 5001;

  /** The artifact proxy's destination, read by the run-artifact routes (list, get-artifact). */
  @IsString()
  @IsNotEmpty()
  ARTIFACTS_DESTINATION = 'file:./data/artifacts';
}

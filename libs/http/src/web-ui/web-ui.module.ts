import { DynamicModule, Logger, Module } from '@nestjs/common';

import { WebUiController } from './web-ui.controller';
import { WebUiFiles } from './web-ui-files';

@Module({})
export class WebUiModule {
  /** The UI at `/` from the built folder; a missing build is one warning, never a failed boot. */
  static register(options: { directory: string }): DynamicModule {
    return {
      module: WebUiModule,
      controllers: [WebUiController],
      providers: [
        {
          provide: WebUiFiles,
          useFactory: () => {
            const files = WebUiFiles.load(options.directory);
            if (!files.hasIndex) {
              new Logger('WebUi').warn(
                `No built web UI in ${options.directory}: / answers 503 until \`npm run build:web\` is run.`,
              );
            }
            return files;
          },
        },
      ],
    };
  }
}

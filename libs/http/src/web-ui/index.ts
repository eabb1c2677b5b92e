export { isWebUiRoute, WEB_UI_CSP } from './web-ui.controller';
export { WebUiModule } from './web-ui.module';

import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Access } from '../access';
import { WebUiFile, WebUiFiles } from './web-ui-files';

/** The UI's own client-side routes: a deep link or a reload of one answers index.html. */
export const WEB_UI_ROUTES = [
  'projects',
  'experiments',
  'compare',
  'models',
  'admin',
  'account',
  'signin',
] as const;

/** A route of the web UI (pages and static files, public, not part of the API). */
export function isWebUiRoute(path: string): boolean {
  if (path === '/' || path === '/favicon.ico' || path.startsWith('/assets/')) return true;
  const first = path.split('/')[1];
  return (WEB_UI_ROUTES as readonly string[]).includes(first);
}

/**
 * The SPA's scripts and styles come only from this origin; uploaded content is never rendered as
 * a document (the UI shows it as text or as a blob image), and nothing may frame the UI.
 */
export const WEB_UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React and uPlot set element styles; no stylesheet comes from elsewhere.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const MISSING_BUILD =
  'The web UI is not built. Run `npm run build:web` (npm start does it), then restart the server.\n';

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function send(request: FastifyRequest, reply: FastifyReply, file: WebUiFile): void {
  reply
    .header('Content-Type', file.contentType)
    .header('Content-Security-Policy', WEB_UI_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('ETag', file.etag)
    .header('Vary', 'Accept-Encoding');
  if (request.headers['if-none-match'] === file.etag) {
    void reply.code(304).send();
    return;
  }
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (file.brotli && /\bbr\b/.test(accepted)) {
    void reply.header('Content-Encoding', 'br').send(file.brotli);
  } else if (file.gzip && /\bgzip\b/.test(accepted)) {
    void reply.header('Content-Encoding', 'gzip').send(file.gzip);
  } else {
    void reply.send(file.body);
  }
}

/** Serves the built web UI from memory (WebUiFiles); static files carry no data: public. */
@ApiExcludeController()
@Controller()
export class WebUiController {
  constructor(@Inject(WebUiFiles) private readonly files: WebUiFiles) {}

  @Get()
  @Access.public()
  index(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.sendIndex(request, reply);
  }

  @Get(WEB_UI_ROUTES.flatMap((route) => [route, `${route}/*`]))
  @Access.public()
  route(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.sendIndex(request, reply);
  }

  @Get(['assets/*', 'favicon.ico'])
  @Access.public()
  asset(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const file = this.files.file(pathOf(request.url));
    if (!file) {
      void reply
        .code(404)
        .header('Content-Type', 'text/plain; charset=utf-8')
        .header('X-Content-Type-Options', 'nosniff')
        .send('Not found\n');
      return;
    }
    send(request, reply, file);
  }

  private sendIndex(request: FastifyRequest, reply: FastifyReply): void {
    const index = this.files.index;
    if (!index) {
      void reply
        .code(503)
        .header('Content-Type', 'text/plain; charset=utf-8')
        .header('Retry-After', '60')
        .send(MISSING_BUILD);
      return;
    }
    send(request, reply, index);
  }
}

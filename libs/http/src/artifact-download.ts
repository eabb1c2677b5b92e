import type { Readable } from 'node:stream';

import type { FastifyReply } from 'fastify';

/** Served as text/plain whatever `mimetypes` says (MLflow's `_TEXT_EXTENSIONS`, handlers.py). */
const TEXT_EXTENSIONS = new Set([
  'txt',
  'log',
  'err',
  'cfg',
  'conf',
  'cnf',
  'cf',
  'ini',
  'properties',
  'prop',
  'hocon',
  'toml',
  'yaml',
  'yml',
  'xml',
  'json',
  'js',
  'py',
  'py3',
  'csv',
  'tsv',
  'md',
  'rst',
  'MLmodel',
  // MLflow's MLPROJECT_FILE_NAME is lower-case: a file named `MLproject` is not text to it.
  'mlproject',
]);

/** The common part of Python's built-in `mimetypes.types_map`, which MLflow falls back on. */
const MIME_TYPES: Record<string, string> = {
  bin: 'application/octet-stream',
  so: 'application/octet-stream',
  exe: 'application/octet-stream',
  pdf: 'application/pdf',
  ps: 'application/postscript',
  eps: 'application/postscript',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  wasm: 'application/wasm',
  h5: 'application/x-hdf5',
  hdf: 'application/x-hdf',
  nc: 'application/x-netcdf',
  pyc: 'application/x-python-code',
  sh: 'application/x-sh',
  tar: 'application/x-tar',
  tex: 'application/x-tex',
  xsl: 'application/xml',
  rdf: 'application/xml',
  zip: 'application/zip',
  mp3: 'audio/mpeg',
  wav: 'audio/x-wav',
  aac: 'audio/aac',
  opus: 'audio/opus',
  avif: 'image/avif',
  bmp: 'image/bmp',
  gif: 'image/gif',
  jpg: 'image/jpeg',
  jpe: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ico: 'image/vnd.microsoft.icon',
  webp: 'image/webp',
  css: 'text/css',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  xml: 'application/xml',
  js: 'text/javascript',
  py: 'text/x-python',
  md: 'text/markdown',
  htm: 'text/html',
  html: 'text/html',
  markdown: 'text/markdown',
  mjs: 'text/javascript',
  rtf: 'text/rtf',
  vtt: 'text/vtt',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  mpg: 'video/mpeg',
  mov: 'video/quicktime',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
};

/** Compression suffixes `mimetypes` reports as an encoding, leaving the type to the inner one. */
const ENCODING_SUFFIXES = new Set(['gz', 'bz2', 'xz', 'br', 'z']);

/**
 * The Content-Type MLflow sends for an artifact (`_guess_mime_type`): text/plain for text-like
 * extensions and the extension-less `MLmodel`/`mlproject`, else what Python's `mimetypes` guesses,
 * else application/octet-stream.
 */
export function artifactMimeType(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1) : fileName;
  if (TEXT_EXTENSIONS.has(extension)) return 'text/plain';
  const parts = fileName.toLowerCase().split('.').slice(1);
  if (parts.length > 1 && ENCODING_SUFFIXES.has(parts[parts.length - 1])) parts.pop();
  if (parts.length === 1 && parts[0] === 'tgz') return 'application/x-tar';
  const inner = parts[parts.length - 1];
  return (inner !== undefined && MIME_TYPES[inner]) || 'application/octet-stream';
}

const TOKEN = /^[A-Za-z0-9._+-]+$/;

/**
 * `attachment; filename=<name>` as MLflow writes it when the name is a plain token; otherwise an
 * ASCII `filename="…"` fallback plus the exact name as RFC 5987 `filename*=UTF-8''…` (RFC 6266).
 * Control characters (CR/LF included), quotes and backslashes never reach the header.
 */
export function attachmentDisposition(fileName: string): string {
  const clean = fileName.replace(/[\p{Cc}"\\]/gu, '');
  if (clean !== '' && TOKEN.test(clean)) return `attachment; filename=${clean}`;
  const fallback = clean.replace(/[^\x20-\x7e]|%/g, '_') || 'download';
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams an artifact as a download: Content-Type from its name, always an attachment with
 * `nosniff` (an uploaded .html or .svg must never render on this origin). Fastify destroys
 * `stream` if the client goes away, which releases a pooled store connection.
 */
export function sendArtifact(
  reply: FastifyReply,
  fileName: string,
  stream: Readable,
): FastifyReply {
  return reply
    .status(200)
    .header('Content-Type', artifactMimeType(fileName))
    .header('Content-Disposition', attachmentDisposition(fileName))
    .header('X-Content-Type-Options', 'nosniff')
    .send(stream);
}

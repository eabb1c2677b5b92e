import type { IncomingMessage } from 'node:http';

/**
 * The request itself as the upload stream, dropped when the client sends nothing for `idleMs`
 * (slow-loris guard, security §1.3 E). The socket's timeout is cleared once the body has ended,
 * so keep-alive timing is left to the server.
 */
export function uploadBody(request: IncomingMessage, idleMs: number): IncomingMessage {
  // Injected test requests (light-my-request) have no socket timeouts.
  if (typeof request.setTimeout !== 'function' || idleMs <= 0) return request;
  request.setTimeout(idleMs, () => {
    request.destroy(new Error('Upload idle timeout'));
  });
  request.once('end', () => {
    request.socket?.setTimeout(0);
  });
  return request;
}

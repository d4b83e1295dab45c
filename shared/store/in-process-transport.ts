import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { HttpResponse, type HttpHandler, type HttpRequest } from '@smithy/protocol-http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What dynalite's request handler reads from a request: headers, method, url and the body as events. */
class InProcessRequest extends EventEmitter {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
  ) {
    super();
  }
}

/** What it writes an answer with; `close` follows `end`, as on a socket (the write counter listens for it). */
class InProcessResponse extends EventEmitter {
  statusCode = 200;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly done: (statusCode: number, headers: Record<string, string>, body: Uint8Array) => void) {
    super();
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  end(body?: string | Uint8Array): this {
    const bytes = body === undefined ? new Uint8Array() : typeof body === 'string' ? Buffer.from(body) : body;
    this.done(this.statusCode, this.headers, bytes);
    setImmediate(() => this.emit('close'));
    return this;
  }
}

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('the in-process store transport only carries string or byte bodies');
}

/**
 * The SDK's request handler for the process that serves the embedded store itself: each request
 * goes straight to the server's request listeners (dynalite, behind the write counter) instead of
 * through a loopback socket — the same requests, headers and answers, without HTTP framing and
 * socket work on both ends. Other processes keep using the server's endpoint.
 */
export function inProcessHandler(server: Server): HttpHandler {
  return {
    handle(request: HttpRequest) {
      return new Promise((resolve, reject) => {
        try {
          const headers: IncomingHttpHeaders = {};
          for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
          const query = new URLSearchParams();
          for (const [k, v] of Object.entries(request.query ?? {})) {
            for (const value of Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]) query.append(k, String(value));
          }
          const req = new InProcessRequest(request.method, `${request.path}${query.size > 0 ? `?${query.toString()}` : ''}`, headers);
          const res = new InProcessResponse((statusCode, responseHeaders, body) =>
            resolve({ response: new HttpResponse({ statusCode, headers: responseHeaders, body }) }),
          );
          const body = bodyBytes(request.body);
          for (const listener of server.listeners('request') as Listener[]) {
            listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
          }
          setImmediate(() => {
            if (body && body.length > 0) req.emit('data', body);
            req.emit('end');
          });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
}

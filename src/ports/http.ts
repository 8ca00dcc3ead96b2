/** Http: outbound HTTP for lookup and notify, with timeouts and retries. */

/** One outbound HTTP request. `body` is sent as JSON when it is not a string. */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Extra attempts on network errors, timeouts and 5xx (with backoff). */
  retries: number;
}

/** An HTTP response; `body` is parsed JSON when the content type says JSON, otherwise text. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  attempts: number;
  durationMs: number;
}

/** Why an HTTP request produced no response. */
export const HttpErrorCode = { timeout: 'timeout', network: 'network', aborted: 'aborted', badUrl: 'bad-url' } as const;
export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

/** No response was obtained (after retries). Responses with any status are not errors. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The port. */
export interface Http {
  request(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
}

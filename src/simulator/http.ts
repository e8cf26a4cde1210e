/**
 * Request/response values shared by the login, Graph and managed-identity handlers. Handlers return
 * a {@link SimResponse} instead of writing to the socket so that fault rules (truncate, HTML 200)
 * can rewrite a real response before it leaves.
 */
import { randomUUID } from 'node:crypto';

/** An incoming request, already read. */
export interface SimRequest {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  body: string;
  /** Id sent back as `request-id` and in Graph errors' `innerError`. */
  requestId: string;
}

/** A response to write. */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Client id the request was made for (token endpoint's client_id or the token's appid). */
  clientId?: string;
}

/** A handler for one part of the simulator. */
export type SimHandler = (request: SimRequest) => Promise<SimResponse>;

/** A JSON response with Graph's usual headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Graph's error body: `{"error":{"code","message","innerError":{…}}}`. `inner` adds the members
 * some services put in `innerError` (the OData validator repeats its message there; the 429 sample
 * on learn.microsoft.com/graph/throttling has `code` and `status`).
 */
export function graphError(
  request: SimRequest,
  status: number,
  code: string,
  message: string,
  now: Date,
  headers: Record<string, string> = {},
  inner: Readonly<Record<string, string>> = {},
): SimResponse {
  const clientRequestId = request.headers['client-request-id'] ?? request.requestId;
  return jsonResponse(
    status,
    {
      error: {
        code,
        message,
        innerError: { ...inner, date: now.toISOString().slice(0, 19), 'request-id': request.requestId, 'client-request-id': clientRequestId },
      },
    },
    headers,
  );
}

/** A fresh request id (Graph uses GUIDs). */
export function newRequestId(): string {
  return randomUUID();
}

/** Graph's error code for a bare HTTP status, used by fault rules. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'InvalidAuthenticationToken';
    case 403:
      return 'Authorization_RequestDenied';
    case 404:
      return 'Request_ResourceNotFound';
    case 429:
      return 'TooManyRequests';
    case 502:
      return 'BadGateway';
    case 503:
      return 'ServiceNotAvailable';
    case 504:
      return 'GatewayTimeout';
    default:
      return status >= 500 ? 'InternalServerError' : 'BadRequest';
  }
}

/**
 * `POST /users/{id|upn}/sendMail` (https://learn.microsoft.com/graph/api/user-sendmail): the body
 * is validated the way Exchange answers, recorded, and accepted with 202.
 */
import { graphError, type SimResponse } from '../http.js';
import type { GraphCall, GraphContext } from './context.js';

function isRecipientList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((r: unknown) => {
      if (typeof r !== 'object' || r === null || !('emailAddress' in r)) return false;
      const email = (r as { emailAddress: unknown }).emailAddress;
      return (
        typeof email === 'object' &&
        email !== null &&
        typeof (email as { address?: unknown }).address === 'string' &&
        /^[^@\s]+@[^@\s]+$/.test((email as { address: string }).address)
      );
    })
  );
}

/** Why a sendMail body is not acceptable, or undefined when it is. */
function invalidMail(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('message' in body)) {
    return { code: 'ErrorInvalidRequest', message: "The request body must contain a 'message'." };
  }
  const message = (body as { message: unknown }).message;
  if (typeof message !== 'object' || message === null) return { code: 'ErrorInvalidRequest', message: "'message' must be an object." };
  const m = message as Record<string, unknown>;
  const recipients = ['toRecipients', 'ccRecipients', 'bccRecipients'].filter((k) => m[k] !== undefined);
  if (recipients.some((k) => !isRecipientList(m[k]))) return { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' };
  if (!Array.isArray(m.toRecipients) || m.toRecipients.length === 0) {
    return { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid., Message has no recipients.' };
  }
  if (m.subject !== undefined && typeof m.subject !== 'string') return { code: 'ErrorInvalidRequest', message: "'subject' must be a string." };
  if (m.body !== undefined) {
    const b = m.body as Record<string, unknown> | null;
    if (typeof b !== 'object' || b === null || typeof b.content !== 'string' || !/^(text|html)$/i.test(String(b.contentType ?? 'Text'))) {
      return { code: 'ErrorInvalidRequest', message: "'body' must have contentType Text or HTML and string content." };
    }
  }
  return undefined;
}

/** `POST /users/{id|upn}/sendMail` */
export function sendMail(context: GraphContext, call: GraphCall, mailbox: string): SimResponse {
  let body: unknown;
  try {
    body = JSON.parse(call.request.body);
  } catch {
    return graphError(call.request, 400, 'RequestBodyRead', 'Invalid JSON in the request body.', context.now());
  }
  const problem = invalidMail(body);
  if (problem) return graphError(call.request, 400, problem.code, problem.message, context.now());
  context.state.sentMail.push({ mailbox: decodeURIComponent(mailbox), body, at: context.now() });
  return { status: 202, headers: {}, body: '' };
}

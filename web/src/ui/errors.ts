// What went wrong, in words a person can act on. The server puts a machine-readable code on every
// error a client can act on (extensions.code); everything else reads as "try again".

import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'CURSOR_EXPIRED'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL';

/** The first extensions.code on an error, if any. */
export function errorCode(error: unknown): ErrorCode | string | null {
  if (CombinedGraphQLErrors.is(error)) {
    for (const e of error.errors) {
      const code = e.extensions?.code;
      if (typeof code === 'string') return code;
    }
    return null;
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 401) return 'UNAUTHENTICATED';
    if (error.statusCode === 403) return 'FORBIDDEN';
    if (error.statusCode === 429 || error.statusCode === 503) return 'RATE_LIMITED';
  }
  return null;
}

/** The replica refused the request as overload (503, reason OVERLOADED), not the user's rate. */
function overloaded(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.reason === 'OVERLOADED');
  return ServerError.is(error) && error.statusCode === 503;
}

export function hasCode(error: unknown, code: ErrorCode): boolean {
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.code === code);
  return errorCode(error) === code;
}

/** A sentence for a person, given what they were doing ("Moving the card"). */
export function describeError(error: unknown, doing = 'That'): string {
  const code = errorCode(error);
  const detail = CombinedGraphQLErrors.is(error) ? error.errors[0]?.message : undefined;
  switch (code) {
    case 'CONFLICT':
      return `${doing} did not go through: someone else changed it first. You now see their version.`;
    case 'FORBIDDEN':
      return `${doing} is not allowed with your role on this board.`;
    case 'NOT_FOUND':
      return `${doing} failed: it no longer exists (or you are no longer a member).`;
    case 'BAD_USER_INPUT':
      return detail ? `${doing} was refused: ${detail}` : `${doing} was refused: check the values.`;
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please sign in again.';
    case 'RATE_LIMITED':
      return overloaded(error)
        ? 'The server is busy right now; wait a moment and try again.'
        : 'Too many requests right now; wait a moment and try again.';
    case 'QUERY_TOO_COMPLEX':
      return `${doing} asked for too much at once.`;
    case 'INTERNAL':
      return `${doing} failed on the server. Please try again.`;
    default:
      if (error instanceof Error && /fetch|network|socket/i.test(error.message)) {
        return `${doing} failed: the server cannot be reached. Please try again.`;
      }
      return `${doing} failed. Please try again.`;
  }
}

import { describe, expect, it } from 'vitest';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describeError, errorCode, hasCode } from './errors';

function graphQLError(code: string, message = 'nope') {
  return new CombinedGraphQLErrors({ errors: [{ message, extensions: { code } }] });
}

describe('errors', () => {
  it('reads the code from extensions', () => {
    expect(errorCode(graphQLError('CONFLICT'))).toBe('CONFLICT');
    expect(hasCode(graphQLError('FORBIDDEN'), 'FORBIDDEN')).toBe(true);
    expect(errorCode(new Error('boom'))).toBeNull();
  });

  it('says why a move was refused', () => {
    expect(describeError(graphQLError('CONFLICT'), 'Moving the card')).toMatch(/someone else changed it first/);
    expect(describeError(graphQLError('FORBIDDEN'), 'Moving the card')).toMatch(/not allowed with your role/);
    expect(describeError(graphQLError('BAD_USER_INPUT', 'name: must not be blank'), 'Renaming')).toBe(
      'Renaming was refused: name: must not be blank',
    );
  });

  it('tells a busy server from a user sending too much', () => {
    const busy = new CombinedGraphQLErrors({
      errors: [{ message: 'The server is busy: retry in 1 s', extensions: { code: 'RATE_LIMITED', reason: 'OVERLOADED' } }],
    });
    expect(describeError(busy, 'Loading the board')).toBe('The server is busy right now; wait a moment and try again.');
    expect(describeError(graphQLError('RATE_LIMITED'))).toBe('Too many requests right now; wait a moment and try again.');
    const body = '{"errors":[{"message":"The server is busy: retry in 1 s"}]}';
    const unavailable = new ServerError('Response not successful', {
      response: new Response(body, { status: 503, headers: { 'Retry-After': '1' } }),
      bodyText: body,
    });
    expect(errorCode(unavailable)).toBe('RATE_LIMITED');
    expect(describeError(unavailable)).toBe('The server is busy right now; wait a moment and try again.');
  });
});

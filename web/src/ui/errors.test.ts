import { describe, expect, it } from 'vitest';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
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
});

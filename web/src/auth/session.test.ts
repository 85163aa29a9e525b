import { describe, expect, it } from 'vitest';
import { HANDLE_PATTERN, isExpired, jwtClaims, loadSession, saveSession } from './session';

function jwt(claims: object): string {
  const enc = (o: object) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${enc({ alg: 'HS256' })}.${enc(claims)}.sig`;
}

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

describe('session', () => {
  it('reads claims of a token, including non-ASCII ones', () => {
    expect(jwtClaims(jwt({ sub: 'u1', name: 'Zoë' }))).toEqual({ sub: 'u1', name: 'Zoë' });
    expect(jwtClaims('garbage')).toBeNull();
  });

  it('knows an expired token', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(isExpired(jwt({ exp: now / 1000 - 60 }), now)).toBe(true);
    expect(isExpired(jwt({ exp: now / 1000 + 60 }), now)).toBe(false);
    expect(isExpired(jwt({}), now)).toBe(false);
  });

  it('keeps a session and drops an expired one', () => {
    const storage = new MemoryStorage();
    const token = jwt({ exp: Date.now() / 1000 + 3600 });
    saveSession({ token, source: 'dev' }, storage);
    expect(loadSession(storage)).toEqual({ token, source: 'dev' });
    saveSession({ token: jwt({ exp: 1 }), source: 'dev' }, storage);
    expect(loadSession(storage)).toBeNull();
    expect(storage.length).toBe(0);
  });

  it('accepts the handles the server accepts', () => {
    expect(HANDLE_PATTERN.test('alice')).toBe(true);
    expect(HANDLE_PATTERN.test('al')).toBe(false);
    expect(HANDLE_PATTERN.test('bob smith')).toBe(false);
    expect(HANDLE_PATTERN.test('a'.repeat(31))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { ConnectionState, webSocketUrl } from './apollo';

describe('ConnectionState', () => {
  it('is idle until a live view wants the socket, then connecting, then connected', () => {
    const state = new ConnectionState();
    expect(state.get()).toBe('idle');
    state.want(true);
    expect(state.get()).toBe('connecting');
    state.socket(true);
    expect(state.get()).toBe('connected');
  });

  it('says reconnecting (not offline) between attempts after a drop', () => {
    const state = new ConnectionState();
    state.want(true);
    state.socket(true);
    state.socket(false);
    expect(state.get()).toBe('reconnecting');
    state.socket(true);
    expect(state.get()).toBe('connected');
  });

  it('is idle when nothing wants the socket, and tells its listeners only about changes', () => {
    const state = new ConnectionState();
    const seen: string[] = [];
    state.subscribe(() => seen.push(state.get()));
    state.want(true);
    state.want(true);
    state.want(false);
    state.want(false);
    expect(state.get()).toBe('idle');
    expect(seen).toEqual(['connecting', 'idle']);
  });
});

describe('webSocketUrl', () => {
  it('uses the page host and ws or wss to match the page', () => {
    expect(webSocketUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/graphql');
    expect(webSocketUrl({ protocol: 'https:', host: 'boardcast.example' })).toBe('wss://boardcast.example/graphql');
  });
});

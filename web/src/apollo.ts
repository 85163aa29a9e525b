// The one Apollo Client of the app: queries and mutations over HTTP POST /graphql, subscriptions
// over graphql-ws at /graphql on the same host, both authenticated with the bearer token (in a
// header over HTTP, in connection_init over the socket, never in a URL), and the cache policies.

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import { OperationTypeNode } from 'graphql';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/**
 * What the connection indicator shows (a tiny store for useSyncExternalStore): "connected" while
 * the socket is up; while something wants live updates and the socket is not up, "connecting" the
 * first time and "reconnecting" after that; "idle" when nothing needs the socket.
 */
export class ConnectionState {
  private socketUp = false;
  private wanted = 0;
  private everConnected = false;
  private status: ConnectionStatus = 'idle';
  private readonly listeners = new Set<() => void>();

  get = (): ConnectionStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The socket opened (acknowledged) or closed. */
  socket(up: boolean) {
    this.socketUp = up;
    if (up) this.everConnected = true;
    this.update();
  }

  /** A live view starts (true) or stops (false) needing the socket. */
  want(needed: boolean) {
    this.wanted = Math.max(0, this.wanted + (needed ? 1 : -1));
    this.update();
  }

  private update() {
    const status: ConnectionStatus = this.socketUp
      ? 'connected'
      : this.wanted > 0
        ? this.everConnected
          ? 'reconnecting'
          : 'connecting'
        : 'idle';
    if (status === this.status) return;
    this.status = status;
    this.listeners.forEach((l) => l());
  }
}

export interface BoardcastClient {
  apollo: ApolloClient;
  ws: Client;
  connection: ConnectionState;
}

/** Where the socket lives: the page's own host, ws or wss to match http or https. */
export function webSocketUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
}

/**
 * @param getToken the current access token, read for every request and every socket connect
 * @param onUnauthenticated called when the server refuses the token (expired, revoked)
 */
export function createBoardcastClient(getToken: () => string | null, onUnauthenticated: () => void): BoardcastClient {
  const connection = new ConnectionState();

  const ws = createClient({
    url: webSocketUrl(),
    // Read at every (re)connect, so a refreshed token is used after a drop.
    connectionParams: () => {
      const token = getToken();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
    lazy: true,
    lazyCloseTimeout: 3_000,
    keepAlive: 10_000,
    // Subscriptions are resumed by the board's live hook, which knows the last cursor it saw;
    // the socket client itself must not silently resubscribe with the original variables.
    retryAttempts: 0,
    on: {
      connected: () => connection.socket(true),
      closed: () => connection.socket(false),
    },
  });

  const http = new HttpLink({ uri: '/graphql' });
  const auth = new SetContextLink((prev) => {
    const token = getToken();
    return token ? { headers: { ...prev.headers, Authorization: `Bearer ${token}` } } : {};
  });

  const unauthenticated = new ErrorLink(({ error }) => {
    const refused =
      (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && error.statusCode === 401);
    if (refused) onUnauthenticated();
  });

  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === OperationTypeNode.SUBSCRIPTION;
    },
    new GraphQLWsLink(ws),
    ApolloLink.from([unauthenticated, auth, http]),
  );

  const apollo = new ApolloClient({ link, cache: createCache() });
  return { apollo, ws, connection };
}

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // A board or task already in the cache (from the board list, or the board) shows at once.
          board: {
            read: (existing, { args, toReference }) =>
              existing !== undefined ? existing : toReference({ __typename: 'Board', id: args?.id }),
          },
          task: {
            read: (existing, { args, toReference }) =>
              existing !== undefined ? existing : toReference({ __typename: 'Task', id: args?.id }),
          },
        },
      },
      Board: {
        fields: {
          columns: { merge: false },
          labels: { merge: false },
          // Boards from the list and the board page share one entity; their member pages differ.
          members: { keyArgs: ['first'], merge: false },
        },
      },
      Column: {
        fields: {
          tasks: { keyArgs: ['first'], merge: false },
        },
      },
      Task: {
        fields: {
          labels: { merge: false },
          comments: { keyArgs: ['first'], merge: false },
        },
      },
      // Memberships have no id of their own: they live inside their board's member list.
      BoardMember: { keyFields: false },
      TaskConnection: { keyFields: false },
      CommentConnection: { keyFields: false },
      BoardMemberConnection: { keyFields: false },
      BoardConnection: { keyFields: false },
      PageInfo: { keyFields: false },
    },
  });
}

import { useEffect, useMemo, useState } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { useQuery } from '@apollo/client/react';
import { graphql } from './gql';
import { createBoardcastClient, type BoardcastClient } from './apollo';
import { useAuth } from './auth/AuthProvider';
import { SignIn } from './auth/SignIn';
import { ProfileDialog } from './auth/ProfileDialog';
import { BoardList } from './board/BoardList';
import { BoardPage } from './board/BoardPage';
import { ConnectionContext } from './board/ConnectionIndicator';
import { Avatar } from './ui/Avatar';
import { useRoute } from './ui/router';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      handle
      displayName
    }
  }
`);

export function App() {
  const auth = useAuth();
  const token = auth.session?.token ?? null;
  const signedIn = token !== null;
  const { getToken, signOut } = auth;

  // One client per signed-in session: nothing cached for one person is ever shown to the next.
  const client = useMemo<BoardcastClient | null>(
    () => (signedIn ? createBoardcastClient(getToken, () => signOut('Your session has ended. Please sign in again.')) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [signedIn, auth.session?.source],
  );
  useEffect(
    () => () => {
      if (client) {
        void client.ws.dispose();
        client.apollo.stop();
      }
    },
    [client],
  );

  if (auth.loading) return <div className="splash">Loading…</div>;
  if (!client) return <SignIn />;

  return (
    <ApolloProvider client={client.apollo}>
      <ConnectionContext.Provider value={client.connection}>
        <Shell />
      </ConnectionContext.Provider>
    </ApolloProvider>
  );
}

function Shell() {
  const auth = useAuth();
  const [route, navigate] = useRoute();
  const { data, error } = useQuery(MeQuery);
  const [profileOpen, setProfileOpen] = useState(false);
  const me = data?.me;

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/" onClick={() => navigate({ name: 'boards' })}>
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>Boardcast</span>
        </a>
        <span className="spacer" />
        {me && (
          <button className="me" onClick={() => setProfileOpen(true)} title="Your profile" data-testid="me">
            <Avatar user={me} size={24} />
            <span className="me-handle">@{me.handle}</span>
          </button>
        )}
        <button className="ghost" onClick={() => auth.signOut()}>
          Sign out
        </button>
      </header>
      {error && !me && <p className="error page-error">Could not load your profile. Is the server running?</p>}
      {me && route.name === 'boards' && <BoardList />}
      {me && route.name === 'board' && (
        <BoardPage key={route.boardId} route={route} navigate={navigate} meId={me.id} />
      )}
      {profileOpen && me && <ProfileDialog me={me} onClose={() => setProfileOpen(false)} />}
    </div>
  );
}

import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ConnectionState } from '../apollo';

export const ConnectionContext = createContext<ConnectionState | null>(null);

const LABEL = {
  idle: 'Offline',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
} as const;

/** A dot and a word: is this screen receiving changes as they happen? */
export function ConnectionIndicator() {
  const connection = useContext(ConnectionContext);
  const status = useSyncExternalStore(
    connection?.subscribe ?? (() => () => {}),
    connection?.get ?? (() => 'idle' as const),
  );
  return (
    <span className={`connection connection-${status}`} data-testid="connection" data-status={status} role="status" title="Live updates">
      <span className="dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}

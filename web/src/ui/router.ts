// Hash routes, so the server only ever has to serve `/`: #/ (boards), #/boards/<id>?view=&task=.

import { useCallback, useSyncExternalStore } from 'react';

export type BoardViewName = 'kanban' | 'list' | 'calendar';

export type Route =
  | { name: 'boards' }
  | { name: 'board'; boardId: string; view: BoardViewName; taskId: string | null };

const VIEWS: BoardViewName[] = ['kanban', 'list', 'calendar'];

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'boards' && parts[1]) {
    const params = new URLSearchParams(query);
    const view = params.get('view') as BoardViewName | null;
    return {
      name: 'board',
      boardId: parts[1],
      view: view && VIEWS.includes(view) ? view : 'kanban',
      taskId: params.get('task') || null,
    };
  }
  return { name: 'boards' };
}

export function formatRoute(route: Route): string {
  if (route.name === 'boards') return '#/';
  const params = new URLSearchParams();
  if (route.view !== 'kanban') params.set('view', route.view);
  if (route.taskId) params.set('task', route.taskId);
  const query = params.toString();
  return `#/boards/${encodeURIComponent(route.boardId)}${query ? `?${query}` : ''}`;
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): [Route, (route: Route, replace?: boolean) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const navigate = useCallback((route: Route, replace = false) => {
    const next = formatRoute(route);
    if (replace) {
      window.history.replaceState(null, '', next);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else {
      window.location.hash = next;
    }
  }, []);
  return [parseHash(hash), navigate];
}

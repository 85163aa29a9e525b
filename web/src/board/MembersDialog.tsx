import { useState, type FormEvent } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { graphql } from '../gql';
import type { BoardRole } from '../gql/graphql';
import type { BoardView, MemberView } from './boardEvents';
import { BoardViewQuery } from './queries';
import { Avatar } from '../ui/Avatar';
import { describeError } from '../ui/errors';
import { Modal } from '../ui/Modal';
import { useNotify } from '../ui/Toasts';
import { HANDLE_PATTERN } from '../auth/session';

export const MemberRowFields = graphql(`
  fragment MemberRow on BoardMember {
    role
    addedAt
    user {
      id
      handle
      displayName
    }
  }
`);

const AddBoardMember = graphql(`
  mutation AddBoardMember($input: AddBoardMemberInput!) {
    addBoardMember(input: $input) {
      member {
        ...MemberRow
      }
    }
  }
`);

const UpdateBoardMember = graphql(`
  mutation UpdateBoardMember($input: UpdateBoardMemberInput!) {
    updateBoardMember(input: $input) {
      member {
        ...MemberRow
      }
    }
  }
`);

const RemoveBoardMember = graphql(`
  mutation RemoveBoardMember($input: RemoveBoardMemberInput!) {
    removeBoardMember(input: $input) {
      removedUserId
    }
  }
`);

const ROLES: BoardRole[] = ['OWNER', 'EDITOR', 'VIEWER'];
const ROLE_HELP: Record<BoardRole, string> = {
  OWNER: 'manages members and the board',
  EDITOR: 'changes columns, cards and comments',
  VIEWER: 'reads only',
};

/** Who is on the board and with which role; owners invite, change roles and remove. */
export function MembersDialog({ board, meId, onClose, onLeft }: { board: BoardView; meId: string; onClose: () => void; onLeft: () => void }) {
  const client = useApolloClient();
  const notify = useNotify();
  const [handle, setHandle] = useState('');
  const [role, setRole] = useState<BoardRole>('EDITOR');
  const [busy, setBusy] = useState(false);
  const isOwner = board.myRole === 'OWNER';

  const updateMembers = (f: (nodes: MemberView[]) => MemberView[]) =>
    client.cache.updateQuery({ query: BoardViewQuery, variables: { id: board.id } }, (d) =>
      d?.board ? { board: { ...d.board, members: { ...d.board.members, nodes: f(d.board.members.nodes) } } } : undefined,
    );

  async function invite(e: FormEvent) {
    e.preventDefault();
    if (!HANDLE_PATTERN.test(handle)) {
      notify('A handle is 3 to 30 letters, digits or underscores.', 'error');
      return;
    }
    setBusy(true);
    try {
      const { data } = await client.mutate({ mutation: AddBoardMember, variables: { input: { boardId: board.id, handle, role } } });
      const member = data?.addBoardMember.member;
      if (member) updateMembers((nodes) => (nodes.some((m) => m.user.id === member.user.id) ? nodes : [...nodes, member]));
      setHandle('');
      notify(`@${member?.user.handle ?? handle} is now a member.`);
    } catch (err) {
      notify(describeError(err, `Inviting @${handle}`), 'error');
    } finally {
      setBusy(false);
    }
  }

  async function changeRole(member: MemberView, next: BoardRole) {
    try {
      const { data } = await client.mutate({ mutation: UpdateBoardMember, variables: { input: { boardId: board.id, userId: member.user.id, role: next } } });
      const updated = data?.updateBoardMember.member;
      if (updated) {
        updateMembers((nodes) => nodes.map((m) => (m.user.id === updated.user.id ? updated : m)));
        if (updated.user.id === meId) {
          client.cache.updateQuery({ query: BoardViewQuery, variables: { id: board.id } }, (d) => (d?.board ? { board: { ...d.board, myRole: updated.role } } : undefined));
        }
      }
    } catch (err) {
      notify(describeError(err, 'Changing the role'), 'error');
    }
  }

  async function remove(member: MemberView) {
    const me = member.user.id === meId;
    if (!window.confirm(me ? `Leave "${board.name}"?` : `Remove @${member.user.handle} from "${board.name}"?`)) return;
    try {
      await client.mutate({ mutation: RemoveBoardMember, variables: { input: { boardId: board.id, userId: member.user.id } } });
      if (me) return onLeft();
      updateMembers((nodes) => nodes.filter((m) => m.user.id !== member.user.id));
    } catch (err) {
      notify(describeError(err, me ? 'Leaving the board' : 'Removing the member'), 'error');
    }
  }

  return (
    <Modal title="Members" onClose={onClose} wide>
      <ul className="members" data-testid="members">
        {board.members.nodes.map((m) => (
          <li key={m.user.id} className="member" data-testid="member">
            <Avatar user={m.user} size={28} />
            <span className="grow">
              <strong>{m.user.displayName}</strong> <span className="muted">@{m.user.handle}</span>
              {m.user.id === meId && <span className="muted"> (you)</span>}
            </span>
            {isOwner ? (
              <select aria-label={`Role of @${m.user.handle}`} value={m.role} onChange={(e) => void changeRole(m, e.target.value as BoardRole)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r.toLowerCase()}
                  </option>
                ))}
              </select>
            ) : (
              <span className="role-badge">{m.role.toLowerCase()}</span>
            )}
            {(isOwner || m.user.id === meId) && (
              <button className="ghost small danger" onClick={() => void remove(m)}>
                {m.user.id === meId ? 'Leave' : 'Remove'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {isOwner && (
        <form className="invite row wrap" onSubmit={invite} aria-label="Invite a member">
          <input aria-label="Handle to invite" placeholder="handle" value={handle} onChange={(e) => setHandle(e.target.value.trim())} />
          <select aria-label="Role for the new member" value={role} onChange={(e) => setRole(e.target.value as BoardRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.toLowerCase()}
              </option>
            ))}
          </select>
          <button className="primary" type="submit" disabled={busy || !handle}>
            Invite
          </button>
        </form>
      )}
      <p className="muted small">
        {ROLES.map((r) => `${r.toLowerCase()}: ${ROLE_HELP[r]}`).join(' · ')}
      </p>
    </Modal>
  );
}

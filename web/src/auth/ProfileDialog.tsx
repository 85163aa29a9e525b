import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../gql';
import { Modal } from '../ui/Modal';
import { describeError } from '../ui/errors';
import { HANDLE_PATTERN } from './session';

const UpdateMe = graphql(`
  mutation UpdateMe($input: UpdateMeInput!) {
    updateMe(input: $input) {
      user {
        id
        handle
        displayName
      }
    }
  }
`);

/** Change your handle and display name (people signed in with an issuer pick their handle here). */
export function ProfileDialog({ me, onClose }: { me: { handle: string; displayName: string }; onClose: () => void }) {
  const [handle, setHandle] = useState(me.handle);
  const [displayName, setDisplayName] = useState(me.displayName);
  const [error, setError] = useState<string | null>(null);
  const [updateMe, { loading }] = useMutation(UpdateMe);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!HANDLE_PATTERN.test(handle)) {
      setError('A handle is 3 to 30 letters, digits or underscores.');
      return;
    }
    try {
      await updateMe({
        variables: {
          input: {
            ...(handle !== me.handle ? { handle } : {}),
            ...(displayName !== me.displayName ? { displayName: displayName.trim() } : {}),
          },
        },
      });
      onClose();
    } catch (err) {
      setError(describeError(err, 'Saving your profile'));
    }
  }

  return (
    <Modal title="Your profile" onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <label>
          Handle
          <input value={handle} onChange={(e) => setHandle(e.target.value.trim())} maxLength={30} />
        </label>
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={100} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={loading}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}

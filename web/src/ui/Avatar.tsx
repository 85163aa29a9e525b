/** A round badge with a user's initials, colored from their handle so it is stable everywhere. */
export function Avatar({ user, size = 24 }: { user: { handle: string; displayName: string }; size?: number }) {
  const name = user.displayName || user.handle;
  const initials =
    name
      .split(/[\s_]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]!.toUpperCase())
      .join('') || '?';
  let hash = 0;
  for (const ch of user.handle.toLowerCase()) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  return (
    <span
      className="avatar"
      title={`${name} (@${user.handle})`}
      aria-label={`${name} (@${user.handle})`}
      style={{ width: size, height: size, fontSize: size * 0.42, background: `hsl(${hue} 55% 42%)` }}
    >
      {initials}
    </span>
  );
}

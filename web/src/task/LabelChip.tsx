import { graphql } from '../gql';
import type { LabelChipFragment } from '../gql/graphql';

export const LabelChipFields = graphql(`
  fragment LabelChip on Label {
    id
    name
    color
    version
  }
`);

/** Black or white text, whichever reads better on the label's color. */
export function textColorFor(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#111';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16) / 255);
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.55 ? '#111' : '#fff';
}

export function LabelChip({ label }: { label: Pick<LabelChipFragment, 'name' | 'color'> }) {
  return (
    <span className="label-chip" style={{ background: label.color, color: textColorFor(label.color) }}>
      {label.name}
    </span>
  );
}

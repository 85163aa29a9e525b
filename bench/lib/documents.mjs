// GraphQL documents the drivers send.

/**
 * What each boardChanged subscriber selects (EVENT_FIELDS):
 * - flat (default): the event and the task's state as committed, which the event itself
 *   carries: no database access per subscriber, the delivery path alone;
 * - readme: the README's example (actor handle, task title, column name): two batch loads
 *   per event per subscriber;
 * - web: the web client's subscription (web/src/board/queries.ts with its fragments), which
 *   for a task event also loads the column's task count and order: several statements per
 *   event per subscriber.
 */
export const BOARD_CHANGED = {
  flat: `subscription Flat($boardId: ID!, $after: String) { boardChanged(boardId: $boardId, after: $after) {
    cursor seq kind at entityId taskId task { id number title priority dueDate version } } }`,
  readme: `subscription Readme($boardId: ID!, $after: String) { boardChanged(boardId: $boardId, after: $after) {
    cursor seq kind actor { handle } task { title column { name } } } }`,
  web: `subscription BoardChanged($boardId: ID!, $after: String) {
    boardChanged(boardId: $boardId, after: $after) {
      cursor seq kind at boardId entityId taskId
      actor { id handle displayName }
      board { ...BoardHeader }
      member { ...MemberRow }
      column { ...ColumnFields board { id columns { id } } }
      label { ...LabelChip }
      task { ...TaskCard description updatedAt column { id taskCount tasks(first: 100) { nodes { id } } } }
      comment { ...CommentItem task { id commentCount } }
    }
  }
  fragment BoardHeader on Board { id name description myRole version }
  fragment MemberRow on BoardMember { role addedAt user { id handle displayName } }
  fragment ColumnFields on Column { id name isDone wipLimit taskCount version }
  fragment LabelChip on Label { id name color version }
  fragment TaskCard on Task {
    id number title priority dueDate commentCount completedAt version
    column { id } assignee { id handle displayName } labels { ...LabelChip }
  }
  fragment CommentItem on Comment { id body createdAt editedAt version author { id handle displayName } }`,
};

export function boardChanged(preset = process.env.EVENT_FIELDS || 'flat') {
  const query = BOARD_CHANGED[preset];
  if (!query) throw new Error(`EVENT_FIELDS must be one of ${Object.keys(BOARD_CHANGED).join(', ')}`);
  return { preset, query };
}

/** The board read of issue 7, measurement 1 (the ordinary user's request in the flood benchmark). */
export const BOARD_READ = `query BoardRead($id: ID!) { board(id: $id) { columns { tasks(first: 50) {
  nodes { id number title priority dueDate assignee { handle } labels { name color } } } } } }`;

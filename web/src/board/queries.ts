import { graphql } from '../gql';

// The board page's one query, composed of the fragments its components declare next to them.
// `lastSeq` is selected here and nowhere else: it is the seq the cached board reflects, and only
// a fresh fetch of this query or an applied event may move it (see boardEvents.ts).
export const BoardViewQuery = graphql(`
  query BoardView($id: ID!) {
    board(id: $id) {
      ...BoardHeader
      lastSeq
      labels {
        ...LabelChip
      }
      members(first: 100) {
        nodes {
          ...MemberRow
        }
      }
      columns {
        ...ColumnFields
        tasks(first: 100) {
          nodes {
            ...TaskCard
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`);

// Every event carries the new state of what changed. Because Task and Column do not expose their
// order keys, a task or column event also carries its container's current order (ids only) so a
// client can place the item exactly where the server has it.
export const BoardChangedSubscription = graphql(`
  subscription BoardChanged($boardId: ID!, $after: String) {
    boardChanged(boardId: $boardId, after: $after) {
      cursor
      seq
      kind
      at
      boardId
      entityId
      taskId
      actor {
        id
        handle
        displayName
      }
      board {
        ...BoardHeader
      }
      member {
        ...MemberRow
      }
      column {
        ...ColumnFields
        board {
          id
          columns {
            id
          }
        }
      }
      label {
        ...LabelChip
      }
      task {
        ...TaskCard
        description
        updatedAt
        column {
          id
          taskCount
          tasks(first: 100) {
            nodes {
              id
            }
          }
        }
      }
      comment {
        ...CommentItem
        task {
          id
          commentCount
        }
      }
    }
  }
`);

// Ids of draggables and droppables on the Kanban board: tasks and columns share one DndContext,
// so each id says what it is.

export const taskDndId = (id: string) => `task:${id}`;
export const columnDndId = (id: string) => `column:${id}`;
export const columnBodyDndId = (id: string) => `column-body:${id}`;

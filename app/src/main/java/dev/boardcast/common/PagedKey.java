package dev.boardcast.common;

import java.util.UUID;

/**
 * The key of a paged child list under a parent (a column's tasks, a task's comments):
 * batch loaders group keys by page and fetch every parent's page in one statement.
 */
public record PagedKey(UUID parentId, PageRequest page) {
}

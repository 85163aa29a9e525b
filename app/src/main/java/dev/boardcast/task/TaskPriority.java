package dev.boardcast.task;

/** How urgent a task is. */
public enum TaskPriority {

	NONE, LOW, MEDIUM, HIGH, URGENT

}

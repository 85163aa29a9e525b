package dev.boardcast.label;

import java.util.UUID;

/** A named, colored tag of one board. */
public record Label(UUID id, UUID boardId, String name, String color, int version) {
}

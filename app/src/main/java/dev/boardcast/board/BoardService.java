package dev.boardcast.board;

import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.boardcast.common.ApiException;
import dev.boardcast.common.Conflicts;
import dev.boardcast.common.Connection;
import dev.boardcast.common.Ids;
import dev.boardcast.common.Inputs;
import dev.boardcast.common.PageRequest;
import dev.boardcast.common.PagedKey;
import dev.boardcast.common.PagedLoads;
import dev.boardcast.events.EventKind;
import dev.boardcast.user.UserService;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/** Boards and their members: who may see and do what. */
@Service
public class BoardService {

	private final BoardRepository boards;

	private final BoardWrites writes;

	private final UserService users;

	BoardService(BoardRepository boards, BoardWrites writes, UserService users) {
		this.boards = boards;
		this.writes = writes;
		this.users = users;
	}

	/**
	 * The board as a member sees it; empty for a non-member, exactly as for a board that
	 * does not exist.
	 */
	public Mono<Board> board(UUID boardId, UUID viewerId) {
		return this.boards.find(boardId, viewerId);
	}

	/** The boards among {@code ids} that the viewer is a member of, by id. */
	public Mono<Map<UUID, Board>> boards(java.util.Collection<UUID> ids, UUID viewerId) {
		return this.boards.findAll(ids.toArray(UUID[]::new), viewerId)
			.collect(Collectors.toMap(Board::id, Function.identity()));
	}

	/** The viewer's role on a board; empty unless they are a member. */
	public Mono<BoardRole> role(UUID boardId, UUID userId) {
		return this.boards.role(boardId, userId);
	}

	Mono<Connection<Board>> boardsOf(UUID viewerId, Integer first, String after) {
		PageRequest page = PageRequest.of(first, after, "board");
		return this.boards.findForMember(viewerId, page)
			.collectList()
			.map((rows) -> Connection.of(rows, page, BoardRepository.Listed::cursor))
			.map((connection) -> new Connection<>(connection.edges()
				.stream()
				.map((edge) -> new Connection.Edge<>(edge.cursor(), edge.node().board()))
				.toList(), connection.pageInfo()));
	}

	Mono<Board> create(UUID viewerId, String name, String description, String clientMutationId) {
		String validName = Inputs.required("input.name", name, 100);
		String validDescription = (description != null) ? Inputs.optional("input.description", description, 2000) : "";
		IdempotencyKey key = IdempotencyKey.of(viewerId, clientMutationId, "createBoard", name, description);
		UUID id = UUID.randomUUID();
		return this.writes.once(key, "board", (boardId, created) -> this.boards.find(created, viewerId),
				() -> this.writes.create(id, viewerId, key,
						(context) -> this.boards.insert(id, validName, validDescription, viewerId)
							.map((board) -> Change.of(EventKind.BOARD_CREATED, id, board, board))));
	}

	Mono<Board> update(UUID viewerId, String boardIdInput, Integer expectedVersion, String name, String description) {
		UUID boardId = Ids.parse("input.boardId", "board", boardIdInput);
		String newName = (name != null) ? Inputs.required("input.name", name, 100) : null;
		String newDescription = Inputs.optional("input.description", description, 2000);
		return this.writes.write(boardId, viewerId, BoardRole.OWNER,
				() -> ApiException.notFound("board", "input.boardId"),
				(context) -> this.boards.find(boardId, viewerId).flatMap((current) -> {
					Conflicts.check(expectedVersion, current.version(), "board", current);
					return this.boards.update(boardId, viewerId, (newName != null) ? newName : current.name(),
							(newDescription != null) ? newDescription : current.description());
				}).map((board) -> Change.of(EventKind.BOARD_UPDATED, boardId, board, board)));
	}

	Mono<UUID> delete(UUID viewerId, String boardIdInput) {
		UUID boardId = Ids.parse("input.boardId", "board", boardIdInput);
		return this.writes.write(boardId, viewerId, BoardRole.OWNER,
				() -> ApiException.notFound("board", "input.boardId"), (context) -> this.boards.delete(boardId)
					.thenReturn(Change.of(EventKind.BOARD_DELETED, boardId, null, boardId)));
	}

	Mono<BoardMember> addMember(UUID viewerId, String boardIdInput, String handle, BoardRole role,
			String clientMutationId) {
		UUID boardId = Ids.parse("input.boardId", "board", boardIdInput);
		String validHandle = Inputs.required("input.handle", handle, 30);
		IdempotencyKey key = IdempotencyKey.of(viewerId, clientMutationId, "addBoardMember", boardIdInput, handle,
				role);
		return this.writes.once(key, "membership", this.boards::findMember, () -> this.writes.write(boardId, viewerId,
				BoardRole.OWNER, () -> ApiException.notFound("board", "input.boardId"), key,
				(context) -> this.users.byHandle(validHandle)
					.switchIfEmpty(Mono.error(() -> ApiException.notFound("user", "input.handle")))
					.flatMap((user) -> this.boards.insertMember(boardId, user.id(), role))
					.switchIfEmpty(Mono.error(() -> ApiException.badInput("input.handle", "is already a member")))
					.map((member) -> Change.of(EventKind.MEMBER_ADDED, member.userId(), member, member))));
	}

	Mono<BoardMember> updateMember(UUID viewerId, String boardIdInput, String userIdInput, BoardRole role) {
		UUID boardId = Ids.parse("input.boardId", "board", boardIdInput);
		UUID userId = Ids.parse("input.userId", "member", userIdInput);
		return this.writes.write(boardId, viewerId, BoardRole.OWNER,
				() -> ApiException.notFound("board", "input.boardId"),
				(context) -> this.boards.findMember(boardId, userId)
					.switchIfEmpty(Mono.error(() -> ApiException.notFound("member", "input.userId")))
					.flatMap((member) -> keepsAnOwner(boardId, member, role, "input.role"))
					.flatMap((member) -> this.boards.updateMember(boardId, userId, role))
					.map((member) -> Change.of(EventKind.MEMBER_UPDATED, userId, member, member)));
	}

	Mono<UUID> removeMember(UUID viewerId, String boardIdInput, String userIdInput) {
		UUID boardId = Ids.parse("input.boardId", "board", boardIdInput);
		UUID userId = Ids.parse("input.userId", "member", userIdInput);
		// Any member may leave; only an OWNER removes others.
		BoardRole minimum = userId.equals(viewerId) ? BoardRole.VIEWER : BoardRole.OWNER;
		return this.writes.write(boardId, viewerId, minimum, () -> ApiException.notFound("board", "input.boardId"),
				(context) -> this.boards.findMember(boardId, userId)
					.switchIfEmpty(Mono.error(() -> ApiException.notFound("member", "input.userId")))
					.flatMap((member) -> keepsAnOwner(boardId, member, null, "input.userId"))
					.flatMap((member) -> this.boards.deleteMember(boardId, userId))
					.thenReturn(Change.of(EventKind.MEMBER_REMOVED, userId, null, userId)));
	}

	/**
	 * Refuses to take the OWNER role from the last OWNER ({@code newRole} null: removal).
	 */
	private Mono<BoardMember> keepsAnOwner(UUID boardId, BoardMember member, BoardRole newRole, String field) {
		if (member.role() != BoardRole.OWNER || newRole == BoardRole.OWNER) {
			return Mono.just(member);
		}
		return this.boards.countOwners(boardId)
			.flatMap((owners) -> (owners > 1) ? Mono.just(member)
					: Mono.error(ApiException.badInput(field, "a board must keep at least one OWNER")));
	}

	Mono<Map<PagedKey, Connection<BoardMember>>> members(java.util.Set<PagedKey> keys) {
		return PagedLoads.load(keys, this.boards::findMembers, BoardMember::boardId,
				(member) -> new PageRequest.Keyset(member.addedAt(), member.userId()).cursor("member"));
	}

}

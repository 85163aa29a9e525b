package dev.boardcast.events;

import dev.boardcast.support.Api;

/** Lets tests of other packages subscribe the way SubscriptionTest does. */
public final class SubscriptionTestAccess {

	private SubscriptionTestAccess() {
	}

	public static String latestCursor(Api.Client client, String boardId) {
		return SubscriptionTest.latestCursor(client, boardId);
	}

}

package dev.boardcast.common;

/** The {@code extensions.code} values a client can act on (DESIGN.md "Errors"). */
public enum ErrorCode {

	UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT, CURSOR_EXPIRED, RATE_LIMITED, QUERY_TOO_COMPLEX,
	INTERNAL

}

package dev.boardcast.events;

import java.util.Map;

import dev.boardcast.common.ApiException;
import dev.boardcast.common.ErrorCode;

/** A subscriber fell more than its buffer behind: its subscription ends, others go on. */
class SlowConsumerException extends ApiException {

	private SlowConsumerException(int buffer) {
		super(ErrorCode.RATE_LIMITED,
				"The subscription fell more than " + buffer
						+ " events behind and was ended; subscribe again with the last cursor you received",
				null, null);
	}

	static SlowConsumerException of(int buffer) {
		return new SlowConsumerException(buffer);
	}

	@Override
	public Map<String, Object> extensions() {
		Map<String, Object> extensions = super.extensions();
		extensions.put("reason", "SLOW_CONSUMER");
		return extensions;
	}

}

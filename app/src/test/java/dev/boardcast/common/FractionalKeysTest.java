package dev.boardcast.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FractionalKeysTest {

	@Test
	void keyIsStrictlyBetweenItsNeighbours() {
		Random random = new Random(42);
		List<String> keys = new ArrayList<>(List.of(FractionalKeys.between(null, null)));
		for (int i = 0; i < 5000; i++) {
			int gap = random.nextInt(keys.size() + 1);
			String before = (gap > 0) ? keys.get(gap - 1) : null;
			String after = (gap < keys.size()) ? keys.get(gap) : null;
			String key = FractionalKeys.between(before, after);
			if (before != null) {
				assertThat(key).isGreaterThan(before);
			}
			if (after != null) {
				assertThat(key).isLessThan(after);
			}
			keys.add(gap, key);
		}
		assertThat(keys).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void aThousandInsertsIntoTheSameGapStayOrderedAndShort() {
		String low = FractionalKeys.between(null, null);
		String high = FractionalKeys.between(low, null);
		String current = high;
		for (int i = 0; i < 1000; i++) {
			String key = FractionalKeys.between(low, current);
			assertThat(key).isGreaterThan(low).isLessThan(current);
			current = key;
		}
		assertThat(current.length()).isLessThan(200);
	}

	@Test
	void appendingAtTheEndGrowsSlowly() {
		String last = null;
		for (int i = 0; i < 1000; i++) {
			String key = FractionalKeys.between(last, null);
			if (last != null) {
				assertThat(key).isGreaterThan(last);
			}
			last = key;
		}
		assertThat(last.length()).isLessThan(200);
	}

	@Test
	void refusesKeysOutOfOrder() {
		assertThatIllegalArgumentException().isThrownBy(() -> FractionalKeys.between("b", "a"));
		assertThatIllegalArgumentException().isThrownBy(() -> FractionalKeys.between("a", "a"));
	}

}

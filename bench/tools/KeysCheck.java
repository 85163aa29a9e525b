import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.boardcast.common.FractionalKeys;

/** Prints "before\tafter\tkey" for random placements made by the app's FractionalKeys (\N for none). */
class KeysCheck {

	public static void main(String[] args) {
		Random random = new Random(7);
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < Integer.parseInt(args[0]); i++) {
			int at = random.nextInt(keys.size() + 1);
			// mostly appends and inserts into one hot gap, like moves on a board
			if (random.nextInt(3) == 0) {
				at = keys.size();
			}
			else if (random.nextInt(2) == 0 && !keys.isEmpty()) {
				at = Math.min(1, keys.size());
			}
			String before = (at > 0) ? keys.get(at - 1) : null;
			String after = (at < keys.size()) ? keys.get(at) : null;
			String key = FractionalKeys.between(before, after);
			keys.add(at, key);
			System.out.println(((before != null) ? before : "\\N") + "\t" + ((after != null) ? after : "\\N") + "\t" + key);
		}
	}

}

-- The app's order keys (common/FractionalKeys.java) in PL/pgSQL, for the pgbench scripts that must
-- run the write transaction the server runs: the server computes the new key in Java between two
-- statements; pgbench cannot, so this function does it inside the UPDATE. Same algorithm, same keys
-- (bench/tools/fractional_keys_check.sh compares both). Bench database only.
CREATE OR REPLACE FUNCTION bench_key_midpoint(a text, b text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  digits constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  n int := 0;
  da int;
  db int;
BEGIN
  IF b IS NOT NULL THEN
    WHILE n < length(b) AND (CASE WHEN n < length(a) THEN substr(a, n + 1, 1) ELSE '0' END) = substr(b, n + 1, 1) LOOP
      n := n + 1;
    END LOOP;
    IF n > 0 THEN
      RETURN substr(b, 1, n) || bench_key_midpoint(CASE WHEN n < length(a) THEN substr(a, n + 1) ELSE '' END, substr(b, n + 1));
    END IF;
  END IF;
  da := CASE WHEN a = '' THEN 0 ELSE strpos(digits, substr(a, 1, 1)) - 1 END;
  db := CASE WHEN b IS NOT NULL THEN strpos(digits, substr(b, 1, 1)) - 1 ELSE 62 END;
  IF db - da > 1 THEN
    RETURN substr(digits, floor(0.5 * (da + db) + 0.5)::int + 1, 1);
  END IF;
  IF b IS NOT NULL AND length(b) > 1 THEN
    RETURN substr(b, 1, 1);
  END IF;
  RETURN substr(digits, da + 1, 1) || bench_key_midpoint(CASE WHEN a = '' THEN '' ELSE substr(a, 2) END, NULL);
END $$;

CREATE OR REPLACE FUNCTION bench_key_between(before text, after text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  digits constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  a text := coalesce(before, '');
  last int;
BEGIN
  IF after IS NOT NULL AND a COLLATE "C" >= after COLLATE "C" THEN
    RAISE EXCEPTION 'keys out of order: % >= %', before, after;
  END IF;
  IF after IS NULL AND a <> '' THEN
    last := strpos(digits, right(a, 1)) - 1;
    IF last < 61 THEN
      RETURN left(a, -1) || substr(digits, last + 2, 1);
    END IF;
    RETURN a || substr(digits, 32, 1);
  END IF;
  RETURN bench_key_midpoint(a, after);
END $$;

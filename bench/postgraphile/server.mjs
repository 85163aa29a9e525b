// PostGraphile 5 serving the benchmark database, the reference of the board read (bench/read.sh).
// Like Boardcast it verifies the HS256 development token on every request (signature, issuer,
// audience, expiry; the key is the one the app stores in dev_signing_key), maps issuer + subject to
// the user id through an in-memory cache (Boardcast caches the same), and passes the viewer to
// PostgreSQL, where viewer_board() returns the board only to a member (postgraphile/schema.sql).
// Usage: node server.mjs <port> <database>
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const [port, database] = [Number(process.argv[2]), process.argv[3]];
const connectionString = `postgres://postgres@127.0.0.1:5432/${database}`;
const lookups = new pg.Pool({ connectionString, max: 2 });
const secret = (await lookups.query("SELECT secret FROM dev_signing_key WHERE id = 1")).rows[0].secret;
const viewers = new Map();

function unauthorized(message) {
  return Object.assign(new Error(message), { statusCode: 401 });
}

function claimsOf(authorization) {
  const [scheme, token] = (authorization ?? "").split(" ");
  if (scheme?.toLowerCase() !== "bearer" || !token) throw unauthorized("no bearer token");
  const [header, payload, signature] = token.split(".");
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature ?? "", "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthorized("bad signature");
  if (JSON.parse(Buffer.from(header, "base64url")).alg !== "HS256") throw unauthorized("bad algorithm");
  const claims = JSON.parse(Buffer.from(payload, "base64url"));
  const now = Date.now() / 1000;
  const audience = [].concat(claims.aud ?? []);
  if (claims.iss !== "boardcast-dev" || !audience.includes("boardcast") || !(claims.exp > now) || claims.nbf > now + 60) {
    throw unauthorized("invalid token");
  }
  return claims;
}

async function viewerId(claims) {
  const key = `${claims.iss}\n${claims.sub}`;
  let id = viewers.get(key);
  if (id === undefined) {
    const found = await lookups.query("SELECT id FROM users WHERE issuer = $1 AND subject = $2", [claims.iss, claims.sub]);
    if (found.rows.length === 0) throw unauthorized("unknown user");
    id = found.rows[0].id;
    viewers.set(key, id);
  }
  return id;
}

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ["public"], poolConfig: { max: 20 } })],
  grafserv: { graphqlPath: "/graphql", graphiql: false, graphqlOverGET: false },
  grafast: {
    explain: false,
    async context(requestContext) {
      const claims = claimsOf(requestContext.node?.req?.headers?.authorization);
      return { pgSettings: { "boardcast.viewer": await viewerId(claims) } };
    },
  },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`PostGraphile ${port} ${database}`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    Promise.resolve(pgl.release()).finally(() => lookups.end()).finally(() => process.exit(0));
  });
}

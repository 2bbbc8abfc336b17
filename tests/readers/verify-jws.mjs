// Verifies a compact JWS against a JWK Set with jose (an implementation independent of the one that signed it). On
// success prints {"header":…,"payload":…} and exits 0; on any failure prints jose's error code and exits 1.
// Usage (from the repository root): node tests/readers/verify-jws.mjs list.jws keys.json
import { readFileSync } from 'node:fs';
import { compactVerify, createLocalJWKSet } from 'jose';

const [jwsFile, keysFile] = process.argv.slice(2);
const keys = createLocalJWKSet(JSON.parse(readFileSync(keysFile, 'utf8')));
try {
  const { payload, protectedHeader } = await compactVerify(readFileSync(jwsFile, 'ascii').trim(), keys, { algorithms: ['ES256'] });
  process.stdout.write(JSON.stringify({ header: protectedHeader, payload: JSON.parse(new TextDecoder().decode(payload)) }));
} catch (e) {
  console.error(e.code ?? e.message);
  process.exit(1);
}

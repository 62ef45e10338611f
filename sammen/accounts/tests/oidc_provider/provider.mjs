// A real OpenID Connect provider (the npm package oidc-provider) for the single sign-on tests.
//
// Started by sammen/accounts/tests/test_oidc.py; never used outside the tests. It listens on
// 127.0.0.1 on a free port, prints one JSON line {"issuer": ...} once it accepts connections, and
// serves one static client and the test accounts given in the environment:
//   OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URI,
//   OIDC_TEST_ACCOUNTS = {"<login>": {"email": ..., "groups": [...], ...}, ...}
// Logging in uses the package's development login and consent pages (any password is accepted).
import http from 'node:http';

import Provider from 'oidc-provider';

const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || '{}');
const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: process.env.OIDC_TEST_CLIENT_ID,
        client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
        redirect_uris: [process.env.OIDC_TEST_REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
    },
    // Put the requested claims in the ID token as well as the userinfo response.
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      if (!Object.hasOwn(accounts, id)) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, preferred_username: id, email_verified: true, ...accounts[id] };
        },
      };
    },
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

// Stop cleanly when the test suite says so (and when its pipe closes).
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

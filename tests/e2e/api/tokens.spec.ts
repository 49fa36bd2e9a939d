// A guest token checked by an independent JWT library against the JWK Set served over HTTP.
import { createPublicKey } from "node:crypto";
import { expect, test } from "@playwright/test";
import jwt from "jsonwebtoken";
import { devVars } from "../fixtures";

test("a guest token verifies with jsonwebtoken against the published JWKS", async ({ request }) => {
  const issued = await request.post("/auth/guest");
  expect(issued.status()).toBe(200);
  const { token, exp } = await issued.json();

  const jwks = await (await request.get("/.well-known/jwks.json")).json();
  const header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
  const jwk = jwks.keys.find((key: { kid: string }) => key.kid === header.kid);
  expect(jwk).toBeTruthy();
  const publicKey = createPublicKey({ key: jwk, format: "jwk" });

  const claims = jwt.verify(token, publicKey, { algorithms: ["RS256"], issuer: devVars().ISSUER }) as jwt.JwtPayload;
  expect(claims.sub).toMatch(/^guest:/);
  expect(claims.exp).toBe(exp);
  expect(claims.jti).toBeTruthy();

  // The same library refuses the token once a byte of its signature changes.
  const forged = `${token.slice(0, -3)}${token.endsWith("AAA") ? "BBB" : "AAA"}`;
  expect(() => jwt.verify(forged, publicKey, { algorithms: ["RS256"] })).toThrow();
});

test("the published JWK Set carries no private key material", async ({ request }) => {
  const jwks = await (await request.get("/.well-known/jwks.json")).json();
  for (const key of jwks.keys) {
    expect(Object.keys(key).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
  }
});

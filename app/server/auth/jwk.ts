// The public JWK shape this service publishes (shared with the key rotation script).

export interface PublicJwk {
  kty: "RSA";
  n: string;
  e: string;
  kid: string;
  alg: "RS256";
  use: "sig";
}

export interface JwkSet {
  keys: PublicJwk[];
}

// Where an account's uploads live in R2: `uploads/<account segment>/<day>/<id>-<name>`. The
// segment encodes the account losslessly — letters, digits and `._@+-` as they are, every other
// byte (and `%` itself) percent-encoded — so two accounts never share a prefix, and an ordinary
// email keeps the folder it had before this encoding.

const KEPT = /[a-z0-9._@+-]/;
/** R2 keys are at most 1,024 bytes. */
const MAX_KEY_BYTES = 1024;

export function accountSegment(account: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(account)) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && KEPT.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function uploadPrefix(account: string): string {
  return `uploads/${accountSegment(account)}/`;
}

/** A new object key for `name` (already sanitized), shortening the name if the key would be too long. */
export function newUploadKey(account: string, name: string, now = new Date()): string {
  const id = crypto.randomUUID().replace(/-/g, "").slice(0, 16);
  const head = `${uploadPrefix(account)}${now.toISOString().slice(0, 10)}/${id}-`;
  const encoder = new TextEncoder();
  let tail = name;
  while (tail.length > 1 && encoder.encode(head + tail).byteLength > MAX_KEY_BYTES) tail = tail.slice(1);
  return head + tail;
}

/** True when `key` is in the account's folder (its only folder: segments never collide). */
export function ownsKey(account: string, key: string): boolean {
  return key.startsWith(uploadPrefix(account)) && !key.includes("..");
}

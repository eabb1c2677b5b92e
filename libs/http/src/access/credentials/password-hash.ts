import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

const SCHEME = 'scrypt';
const COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 3;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

const MIN_COST = 2 ** 14;
const MAX_COST = 2 ** 20;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELISM = 16;
const MIN_STORED_BYTES = 16;
const MAX_STORED_BYTES = 64;

const DECIMAL = /^[1-9]\d{0,9}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface ScryptParameters {
  cost: number;
  blockSize: number;
  parallelism: number;
}

interface StoredHash extends ScryptParameters {
  salt: Buffer;
  key: Buffer;
}

/**
 * The hash of a random password nobody knows, with today's parameters, so checking a password
 * for an unknown user costs the same KDF run as checking it for a real one.
 */
export const DUMMY_PASSWORD_HASH =
  'scrypt$32768$8$3$KuR4KsJw1FQ_8S5sbygWOA$Lfiy-dGEVY1FHbba6pMXFKR5TJ05waKpsieEWQr-Ic4';

/** `scrypt$<N>$<r>$<p>$<salt>$<key>`, salt and key in base64url, so parameters can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const parameters = { cost: COST, blockSize: BLOCK_SIZE, parallelism: PARALLELISM };
  const key = await deriveKey(password, salt, KEY_BYTES, parameters);
  return [
    SCHEME,
    COST,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** False for a wrong password and for any encoding this module would not have written. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parseStoredHash(encoded);
  if (!stored) return false;
  try {
    const key = await deriveKey(password, stored.salt, stored.key.length, stored);
    return timingSafeEqual(key, stored.key);
  } catch {
    // Parameters within the bounds can still exceed what this host can allocate.
    return false;
  }
}

/** Always false; spends one KDF run so a missing user answers as slowly as a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_PASSWORD_HASH);
  return false;
}

function parseStoredHash(encoded: string): StoredHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6) return undefined;
  const [scheme, costText, blockSizeText, parallelismText, saltText, keyText] = parts;
  if (scheme !== SCHEME) return undefined;

  const cost = parseDecimal(costText);
  const blockSize = parseDecimal(blockSizeText);
  const parallelism = parseDecimal(parallelismText);
  if (cost === undefined || blockSize === undefined || parallelism === undefined) {
    return undefined;
  }
  if (!isPowerOfTwo(cost) || cost < MIN_COST || cost > MAX_COST) return undefined;
  if (blockSize > MAX_BLOCK_SIZE || parallelism > MAX_PARALLELISM) return undefined;

  const salt = parseBase64url(saltText);
  const key = parseBase64url(keyText);
  if (!salt || !key) return undefined;
  if (salt.length < MIN_STORED_BYTES || salt.length > MAX_STORED_BYTES) return undefined;
  if (key.length < MIN_STORED_BYTES || key.length > MAX_STORED_BYTES) return undefined;

  return { cost, blockSize, parallelism, salt, key };
}

function parseDecimal(text: string | undefined): number | undefined {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : undefined;
}

function isPowerOfTwo(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0 && (value & (value - 1)) === 0;
}

/** Buffer.from ignores characters outside the alphabet; only a canonical encoding is accepted. */
function parseBase64url(text: string | undefined): Buffer | undefined {
  if (text === undefined || !BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function deriveKey(
  password: string,
  salt: Buffer,
  keyBytes: number,
  { cost, blockSize, parallelism }: ScryptParameters,
): Promise<Buffer> {
  // Node refuses to run scrypt past maxmem (32 MiB by default); 128·N·r bytes are needed.
  const options: ScryptOptions = {
    N: cost,
    r: blockSize,
    p: parallelism,
    maxmem: 128 * cost * blockSize * 2,
  };
  return new Promise((resolve, reject) => {
    // The same password typed on different keyboards may arrive composed or decomposed.
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

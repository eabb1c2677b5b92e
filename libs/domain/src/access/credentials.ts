import { MlflowError } from '../errors';

/** Usernames: what MLflow's client and a Basic header can carry, and what logs can print. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}$/;

export function validateUsername(username: string): void {
  if (username === '') throw MlflowError.invalidParameterValue('Username cannot be empty.');
  if (!USERNAME.test(username)) {
    throw MlflowError.invalidParameterValue(
      'Username must be 1 to 255 characters: letters, digits and . _ @ + -, starting with a letter or digit.',
    );
  }
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** A few passwords every guessing list starts with; longer ones are refused by their shape. */
const COMMON_PASSWORDS = new Set([
  'password1234',
  'password12345',
  'passwordpassword',
  '123456789012',
  '1234567890123',
  'qwertyuiopas',
  'administrator',
  'adminadminadmin',
  'changemechangeme',
  'letmeinletmein',
]);

/**
 * Why a new password is too weak, or null when it is acceptable: at least 12 characters, at most
 * 1024 (the KDF's input is bounded), not the username, not a common or one-character password.
 * MLflow 2.17 accepted empty passwords; 3.x checks the length on create only.
 */
export function passwordWeakness(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  }
  const lower = password.toLowerCase();
  if (new Set(password).size < 4 || COMMON_PASSWORDS.has(lower)) {
    return 'Password is too easy to guess.';
  }
  if (username !== undefined && lower.includes(username.toLowerCase())) {
    return 'Password must not contain the username.';
  }
  return null;
}

export function validateNewPassword(password: string, username: string): void {
  const weakness = passwordWeakness(password, username);
  if (weakness) throw MlflowError.invalidParameterValue(weakness);
}

export * from './credential-cache';
export * from './jwt-verifier';
export * from './login-limiter';
export * from './password-hash';
export * from './token-secret';

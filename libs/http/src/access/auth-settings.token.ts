/** The DI token of the service's AuthSettings (an interface, so it needs one). */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

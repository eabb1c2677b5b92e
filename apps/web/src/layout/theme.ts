export type Theme = 'light' | 'dark';

const KEY = 'flops.theme';

/** The stored choice, else the system's preference. */
export function storedTheme(): Theme {
  const stored = localStorage.getItem(KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}

export function applyStoredTheme(): void {
  document.documentElement.dataset.theme = storedTheme();
}

/** Chart colours read from the theme's CSS variables, so charts follow the theme. */
export function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * The cashier UI's Content-Security-Policy, shared by the Electron window and
 * the lane server. Everything comes from the page's own origin: no inline
 * script, no eval, no remote content. `connect` adds origins the page may
 * talk to. `devServer` is only for electron-vite's dev server, whose React
 * hot-reload preamble is an inline script; a build never sets it.
 */
export function contentSecurityPolicy(opts: { connect?: readonly string[]; devServer?: boolean } = {}): string {
  const connect = ["'self'", ...(opts.connect ?? [])].join(' ');
  return [
    "default-src 'none'",
    opts.devServer ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

// Where the admin page listens, and its URL, for the agent, the CLI and the demo alike.
import type { Settings } from '../config/validate';

/** admin.listen with its default port: the link's port + 1 (0 stays 0: any free port). */
export function adminListen(s: Settings): { host: string; port: number } {
  const port = s.admin.listen.port ?? (s.listen.port < 65535 ? s.listen.port + 1 : s.listen.port - 1);
  return { host: s.admin.listen.host, port };
}

/** The page's URL for a browser on this machine (an all-addresses host is reached on loopback). */
export function adminUrl(s: Settings, port = adminListen(s).port): string {
  const h = s.admin.listen.host;
  const host = h === '0.0.0.0' ? '127.0.0.1' : h === '::' ? '[::1]' : h.includes(':') ? `[${h}]` : h;
  return `${s.admin.plainHttp ? 'http' : 'https'}://${host}:${port}/web/`;
}

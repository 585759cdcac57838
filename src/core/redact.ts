// Credentials never reach logs, start-up lines or /readyz: a URL is shown without its user:password
// and without the values of query parameters that carry secrets.
const SECRET_PARAM = /key|token|secret|password|passwd|auth|sig/i;

export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL we can take apart: drop anything that looks like userinfo.
    return url.replace(/\/\/[^/@\s]*@/, '//***@');
  }
  if (u.username !== '' || u.password !== '') {
    u.username = '***';
    u.password = '';
  }
  for (const name of [...u.searchParams.keys()]) if (SECRET_PARAM.test(name)) u.searchParams.set(name, '***');
  return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
}

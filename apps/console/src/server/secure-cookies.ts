/** The session cookie is Secure (and __Secure- prefixed) when the console is reached over HTTPS. */
export function secureCookies(publicUrl: string | undefined): boolean {
  return publicUrl?.startsWith("https://") ?? false;
}

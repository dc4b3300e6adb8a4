/** An IPv4 or IPv6 address written as one (not a host name). */
export function isIpAddress(text: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split('.').every((part) => Number(part) <= 255);
  return text.includes(':') && /^[0-9A-Fa-f:.]+$/.test(text);
}

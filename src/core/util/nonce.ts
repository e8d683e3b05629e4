/**
 * The nonce a webview's Content-Security-Policy allows its one style and one script by: 128 bits from the
 * operating system's CSPRNG (crypto.randomBytes), base64 — never Math.random, whose state can be recovered from
 * a few outputs. A new one for each page the webview gets.
 */
import { randomBytes } from 'node:crypto';

export function webviewNonce(): string {
  return randomBytes(16).toString('base64');
}

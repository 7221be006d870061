declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  /** Encrypted Content-Encoding for HTTP (RFC 8188), as the web-push library uses it. */
  interface Ece {
    decrypt(
      buffer: Buffer,
      params: { version: 'aes128gcm' | 'aesgcm'; privateKey?: ECDH; authSecret?: string; dh?: string },
    ): Buffer;
  }
  const ece: Ece;
  export default ece;
}

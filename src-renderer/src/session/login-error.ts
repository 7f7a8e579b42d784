// A login refusal in the operator's language, chosen by its code (never the server's English).
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

export interface LoginError {
  code: string;
  message: string;
}

const KNOWN = new Set([
  'UNAUTHORIZED',
  'BAD_CREDENTIALS',
  'DISABLED',
  'SERVER_UNREACHABLE',
  'SERVER_CERT_UNTRUSTED',
  'CA_FILE_UNREADABLE',
  'RATE_LIMITED',
  'BAD_REQUEST',
  'NO_DATA_SERVICE',
  'SESSION_EXPIRED',
  'INTERNAL',
]);

export function loginErrorText(t: Translate, error: LoginError): string {
  return KNOWN.has(error.code)
    ? t(`login.error.${error.code}` as MessageKey)
    : t('login.error.other', { code: error.code });
}

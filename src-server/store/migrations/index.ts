import type { Migration } from '../../../src-node/sqlite/migrate';
import { m0001Initial } from './0001-initial';
import { m0002Inspections } from './0002-inspections';
import { m0003Jurisdiction } from './0003-jurisdiction';
import { m0004AlertsCaseNumbers } from './0004-alerts-case-numbers';

/** In order; a migration's version is its position (1-based). Never edit a shipped one: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  m0001Initial,
  m0002Inspections,
  m0003Jurisdiction,
  m0004AlertsCaseNumbers,
];

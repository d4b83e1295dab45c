import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `../shared` beside the repository: documents, data and corpora (never copied into the repo). */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const PSS_CORPUS = `${SHARED_DIR}corpora/pss`;

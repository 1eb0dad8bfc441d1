import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sample's source folder (views and assets are read from there, not from the build). */
export const SAMPLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../sample');
export const VIEWS_DIR = resolve(SAMPLE_DIR, 'views');
export const ASSET_FILE = resolve(SAMPLE_DIR, 'assets/lorem.txt');

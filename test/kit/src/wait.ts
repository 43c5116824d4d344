export { waitFor } from '@county/scripts/dist/wait';

export { waitFor } from '../../scripts/src/wait';

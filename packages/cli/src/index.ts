export { formatStatus } from './format-status';

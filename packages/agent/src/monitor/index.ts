export {
  checkTestPage,
  judgeAnswer,
  parseHttpUrl,
  testPageUrlOf,
  type ProbeResult,
  type TestPageSettings,
} from './test-page';
export {
  checkExternalResources,
  parseResource,
  type ExternalSettings,
  type Resource,
} from './external-resources';
export { displayUrl, netErrorPhrase } from './net-errors';

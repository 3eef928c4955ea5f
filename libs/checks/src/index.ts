export { checkRequestId } from './request-id.js';

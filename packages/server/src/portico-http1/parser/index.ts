export { RequestParser, type RequestParserOptions } from './request-parser';
export { RequestParseError, type RequestHead, type RequestParserEvents } from './request-head';

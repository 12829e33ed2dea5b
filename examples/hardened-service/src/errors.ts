import {
  type DefineErrorOptions,
  defineError,
  errorRegistry,
  type RampartErrorClass,
} from '@rampart/errors';

/**
 * Defines an error code of this service, or returns the class already registered for it (a
 * code is registered once per process, and a test may load these modules twice).
 */
function serviceError<const Code extends string>(
  options: DefineErrorOptions<Code>,
): RampartErrorClass<Code> {
  const existing = errorRegistry.get(options.code)?.errorClass;
  return (existing as RampartErrorClass<Code> | undefined) ?? defineError(options);
}

/** The upstream answered with a server error (`E_UPSTREAM`, 502, retryable). */
export const UpstreamError: RampartErrorClass<'E_UPSTREAM'> = serviceError({
  code: 'E_UPSTREAM',
  status: 502,
  title: 'Bad Gateway',
  retryable: true,
  captureStack: false,
});
export type UpstreamError = InstanceType<typeof UpstreamError>;

/** The route exists but not for this method (`E_METHOD_NOT_ALLOWED`, 405). */
export const MethodNotAllowedError: RampartErrorClass<'E_METHOD_NOT_ALLOWED'> = serviceError({
  code: 'E_METHOD_NOT_ALLOWED',
  status: 405,
  title: 'Method Not Allowed',
  captureStack: false,
});

/** The request body is larger than the service accepts (`E_PAYLOAD_TOO_LARGE`, 413). */
export const PayloadTooLargeError: RampartErrorClass<'E_PAYLOAD_TOO_LARGE'> = serviceError({
  code: 'E_PAYLOAD_TOO_LARGE',
  status: 413,
  title: 'Content Too Large',
  captureStack: false,
});

/** The request body is not JSON (`E_UNSUPPORTED_MEDIA_TYPE`, 415). */
export const UnsupportedMediaTypeError: RampartErrorClass<'E_UNSUPPORTED_MEDIA_TYPE'> =
  serviceError({
    code: 'E_UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    title: 'Unsupported Media Type',
    captureStack: false,
  });

/** The client took too long to send its request (`E_REQUEST_TIMEOUT`, 408). */
export const RequestTimeoutError: RampartErrorClass<'E_REQUEST_TIMEOUT'> = serviceError({
  code: 'E_REQUEST_TIMEOUT',
  status: 408,
  title: 'Request Timeout',
  captureStack: false,
});

/** The request's headers are larger than the service accepts (`E_HEADERS_TOO_LARGE`, 431). */
export const HeadersTooLargeError: RampartErrorClass<'E_HEADERS_TOO_LARGE'> = serviceError({
  code: 'E_HEADERS_TOO_LARGE',
  status: 431,
  title: 'Request Header Fields Too Large',
  captureStack: false,
});

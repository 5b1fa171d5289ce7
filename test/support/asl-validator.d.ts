/** The part of asl-validator 4.0.0 the tests use (the package ships no types). */
declare module 'asl-validator' {
  interface AslValidationError {
    'Error code': string;
    Message: string;
  }
  function validator(definition: unknown): { isValid: boolean; errors: AslValidationError[]; errorsText: (separator?: string) => string };
  export = validator;
}
